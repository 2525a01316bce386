from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "整改与移送"
    default_auto_field = "django.db.models.BigAutoField"
