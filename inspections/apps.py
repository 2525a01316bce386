from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "日常巡查"
    default_auto_field = "django.db.models.BigAutoField"
