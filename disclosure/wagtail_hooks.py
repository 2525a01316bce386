# Each area registers its own viewsets and hooks when imported.
from wagtail import hooks

from .admin import grids, producers, substances  # noqa: F401
from .admin.scoping import ScopedDeleteBulkAction

# After Wagtail's own snippet bulk delete (order 0), which it replaces for the scoped models.
hooks.register("register_bulk_action", ScopedDeleteBulkAction, order=100)
