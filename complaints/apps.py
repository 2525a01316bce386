from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "投诉举报"
    default_auto_field = "django.db.models.BigAutoField"
