from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "门户"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import Site
        from wagtail.signals import page_published, page_unpublished

        from .frontcache import page_changed
        from .http import site_stamp_forget
        from .models import PortalSettings

        # Every public page's footer shows these settings; changing them (or which site is the default)
        # changes every page's ETag and the key of its cached HTML.
        for model in (PortalSettings, Site):
            post_save.connect(site_stamp_forget, sender=model, dispatch_uid=f"site-stamp-save-{model.__name__}")
            post_delete.connect(site_stamp_forget, sender=model, dispatch_uid=f"site-stamp-delete-{model.__name__}")

        # A page published or withdrawn leaves the front cache at once, with the lists that show it.
        page_published.connect(page_changed, dispatch_uid="front-cache-page-published")
        page_unpublished.connect(page_changed, dispatch_uid="front-cache-page-unpublished")
