from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from . import views

handler400 = "portal.views.bad_request"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("lang/<str:code>/", views.set_language, name="set_language"),
    path("search/", views.search, name="search"),
    path("api/v1/", include("disclosure.api.urls")),
    path("api/open311/v2/", include("complaints.open311.urls")),
    path("complaints/", include("complaints.urls")),
    path("field/", include("inspections.urls_field")),
    path("results/", include("gridwork.urls")),
    path("", include("disclosure.urls")),
    # Passkey ceremonies (JSON endpoints the back office's second-factor pages call; staff/passkeys.py).
    path("admin/second-factor/passkey/", include("django_otp_webauthn.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    # Public uploads (photos, licence images). In production the proxy serves /media/ (docs/deploy.md);
    # SERVE_MEDIA is for a trial without one, and for `make lighthouse`.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# Wagtail's page tree serves everything else (home, news, standard pages); keep it last.
urlpatterns += [path("", include(wagtail_urls))]
