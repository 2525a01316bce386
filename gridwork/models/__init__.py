"""The models of running the grid, one module per part; their public names are re-exported here."""

from .quotas import ProductGroup, StationQuota

__all__ = ["ProductGroup", "StationQuota"]
