from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "后台管理"
    default_auto_field = "django.db.models.BigAutoField"
