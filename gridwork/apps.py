from django.apps import AppConfig


class GridworkConfig(AppConfig):
    name = "gridwork"
    verbose_name = "网格运行"
    default_auto_field = "django.db.models.BigAutoField"
