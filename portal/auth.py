"""Signing in to the back office. The form: Wagtail's, with the password field labelled in the chosen language
(Wagtail 8 leaves it without a label, so Django shows the English field name "Password")."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("密码")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: a Chinese page saying why and for how long (429)."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    response = render(request, "portal/locked_out.html",
                      {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}, status=429)
    response["Cache-Control"] = "no-store"
    return response


def display_name(user) -> str:
    """How a staff user is named in records and lists: their full name, else their user name ("" for none)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def group_permissions_grant(app_label: str, grants: dict[str, tuple[str, ...]]) -> None:
    """Add an app's permissions to the staff groups that exist ({group name: codenames}); additive, never
    removes any. Each app keeps its own grant table; staff/roles.py calls them all (`staff_roles_setup`)."""
    from django.contrib.auth.models import Group, Permission

    for name, codenames in grants.items():
        group = Group.objects.filter(name=name).first()
        if group is not None and codenames:
            group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label,
                                                             codename__in=codenames))
