from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "投诉举报"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .services.handover import register

        register()  # hand a departing holder's open complaints over when their role changes hands
