"""The public page of a staff badge, /b/<CODE>/, the target of the badge's QR code: is the person who wears it
today the grid's supervisor or coordinator the badge names?

The answer changes the moment a badge is revoked or a role ends, so the page is short-lived in caches (a
minute) and is read fresh from the database: a few queries whatever the data size, and no writes (the
photo's rendition is made when the badge is printed). Personal, so not for search engines.
"""

import re

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from portal.qr import absolute_url

from ..models import Badge, BadgeState
from ..models.badges import BADGE_CODE_ALPHABET, BADGE_CODE_LENGTH
from ..services.badges import badge_contact, badge_holders
from ..services.signboards import PAGE_AVATAR

CODE_RE = re.compile(f"^[{BADGE_CODE_ALPHABET}]{{{BADGE_CODE_LENGTH}}}$")
MAX_AGE = 60  # seconds a proxy or phone may show the answer without asking again


def _page_photo(person):
    """The photo's page rendition if it was made (when the badge was printed); never made here."""
    from wagtail.images.models import Filter

    if person.photo_id is None:
        return None
    try:
        return person.photo.find_existing_rendition(Filter(spec=PAGE_AVATAR))
    except person.photo.get_rendition_model().DoesNotExist:
        return None


def _respond(request, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    if not context.get("valid"):
        # A badge that is no longer valid (or none) is kept out of search engines; a valid one shows only
        # what the grid pages already publish about the holder.
        response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def badge_page(request, code: str):
    """Whether the badge with this code (any letter case) vouches for its wearer today, and if not, why and
    who holds the role now."""
    from portal.models import PortalSettings

    shown = (code or "").strip()[:40]
    code = shown.upper()
    hotline = PortalSettings.for_request(request).hotline
    badge = None
    if CODE_RE.match(code):
        badge = (Badge.objects.by_code(code)
                 .select_related("assignment__person__photo", "assignment__grid__parent").first())
    if badge is None:
        return _respond(request, "disclosure/badges/not_found.html", {"code": shown, "hotline": hotline},
                        status=404)
    today = timezone.localdate()
    assignment = badge.assignment
    person = assignment.person
    state = badge.state(today)
    context = {
        "badge": badge, "state": state, "valid": state == BadgeState.VALID, "today": today,
        "assignment": assignment, "grid": assignment.grid, "person": person,
        "role": assignment.get_role_display(), "hotline": hotline,
        "issued_on": timezone.localtime(badge.issued_at).date(),
        "revoked_on": timezone.localtime(badge.revoked_at).date() if badge.revoked_at else None,
        "canonical_url": absolute_url(badge.get_absolute_url()),
    }
    if state == BadgeState.VALID:
        context.update(badge_contact(person, hotline), photo=_page_photo(person))
    else:
        context["holders"] = [{"name": a.person.name, **badge_contact(a.person, hotline)}
                              for a in badge_holders(badge, today)]
    return _respond(request, "disclosure/badges/page.html", context)
