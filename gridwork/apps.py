from django.apps import AppConfig


class GridworkConfig(AppConfig):
    name = "gridwork"
    verbose_name = "网格运行"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from disclosure.api.extensions import register_api_router

        from . import api
        from .services.rollups import rollup_signals_connect

        register_api_router(key="results", router=api.router)
        # The counties' summary rows follow their records (the prefecture's and region's pages read them).
        rollup_signals_connect()
