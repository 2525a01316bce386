"""Public URLs: producers. The paths are a contract: printed QR codes lead here for years.

/P/<CODE>/ (the upper-case form a QR code carries, for QR alphanumeric mode) and /p/<code>/ in any case
answer the same page directly, without a redirect that would cost a round trip on a slow connection.
"""

from django.urls import path, re_path

from ..views import producers as views

# Anything up to 40 characters is taken as a code, so that a mistyped code gets a clear message
# instead of the site's general 404 page.
CODE = r"(?P<code>[^/]{1,40})"

urlpatterns = [
    path("producers/", views.directory, name="producer_directory"),
    re_path(rf"^[pP]/{CODE}/$", views.producer_page, name="producer_page"),
    re_path(rf"^[pP]/{CODE}/signboard\.pdf$", views.signboard_pdf, name="producer_signboard"),
    re_path(rf"^[pP]/{CODE}/commitment/$", views.commitment_scan, name="producer_commitment"),
]
