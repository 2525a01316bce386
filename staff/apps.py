from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "后台管理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import news  # noqa: F401  (a county's site served: its news roles)
        from .news_scope import news_scope_install

        news_scope_install()
