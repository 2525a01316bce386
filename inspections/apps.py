from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "日常巡查"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from disclosure.api.extensions import register_api_router
        from disclosure.sections import register_producer_section

        from . import api, public

        register_producer_section(key="inspections", template=public.TEMPLATE, load=public.producer_inspections,
                                  order=10)
        register_api_router(key="inspections", router=api.router, parameter_rules=api.PARAMETER_RULES)
