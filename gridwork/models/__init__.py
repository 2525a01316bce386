"""The models of running the grid, one module per part; their public names are re-exported here."""

from .assessment import AssessmentIndicator, AssessmentScheme, TownshipScore
from .oversight import CheckOutcome, Summons, TownshipCheck
from .quotas import ProductGroup, StationQuota
from .training import Attendance, Presence, TrainingMaterial, TrainingSession

__all__ = ["AssessmentIndicator", "AssessmentScheme", "Attendance", "CheckOutcome", "Presence", "ProductGroup",
           "StationQuota", "Summons", "TownshipCheck", "TownshipScore", "TrainingMaterial", "TrainingSession"]
