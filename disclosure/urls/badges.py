"""Public URLs: staff badges. The path is a contract: printed badges carry it in their QR codes for years.

/B/<CODE>/ (the upper-case form a QR code carries) and /b/<code>/ in any case answer the same page directly.
"""

from django.urls import re_path

from ..views import badges as views

# Anything up to 40 characters is taken as a code, so that a mistyped code gets the badge's own advice
# instead of the site's general 404 page.
CODE = r"(?P<code>[^/]{1,40})"

urlpatterns = [
    re_path(rf"^[bB]/{CODE}/$", views.badge_page, name="badge_page"),
]
