"""Back office hooks of the complaints app. The triage screens live in staff/; here only the API keys."""

from wagtail import hooks

from .admin.api_keys import open311_client_viewset


@hooks.register("register_admin_viewset")
def register_open311_clients():
    return open311_client_viewset
