from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "日常巡查"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from disclosure.sections import register_producer_section

        from . import public

        register_producer_section(key="inspections", template=public.TEMPLATE, load=public.producer_inspections,
                                  order=10)
