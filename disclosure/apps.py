from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "信息公示"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Producers and substances appear in the site search; portal never imports this app, so the
        # app hands its sources to portal here.
        from portal.http import register_stamp_part
        from portal.places import register_place_provider
        from portal.qr import register_base_url_provider
        from portal.search import register_search_source

        from . import search, sites
        from .services.grids import served_place_name

        # The place the site serves is the grid its site serves: portal's titles and prints say it.
        register_place_provider(served_place_name, forget=sites.forget)
        register_stamp_part(sites.served_grids_state)
        register_base_url_provider(sites.served_site_root)

        # The list first: a search for 农药 is for the banned list before the shops that sell pesticides.
        register_search_source(search.substances_source)
        register_search_source(search.producers_source)

        # A producer's facts changed in the back office or an import: its pages leave the front cache.
        from django.db.models.signals import post_delete, post_save

        from .models import Producer
        from .services.producers import producer_saved

        post_save.connect(producer_saved, sender=Producer, dispatch_uid="front-cache-producer-saved")
        post_delete.connect(producer_saved, sender=Producer, dispatch_uid="front-cache-producer-deleted")
