# Each area registers its own viewsets and hooks when imported.
from .admin import grids, producers, substances  # noqa: F401
