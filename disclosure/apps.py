from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "信息公示"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Producers and substances appear in the site search; portal never imports this app, so the
        # app hands its sources to portal here.
        from portal.search import register_search_source

        from . import search

        # The list first: a search for 农药 is for the banned list before the shops that sell pesticides.
        register_search_source(search.substances_source)
        register_search_source(search.producers_source)
