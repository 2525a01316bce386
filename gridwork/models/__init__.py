"""The models of running the grid, one module per part; their public names are re-exported here."""

from .assessment import AssessmentIndicator, AssessmentScheme, TownshipScore
from .meetings import Meeting, MeetingAction, MeetingAttendee, MeetingProblem, MeetingStatus
from .oversight import CheckOutcome, Summons, TownshipCheck
from .quotas import ProductGroup, StationQuota
from .reports import MonthlyReport, MonthlyReportEvent, ReportAction, ReportStatus
from .rollups import CountyFigures
from .training import Attendance, Presence, TrainingMaterial, TrainingSession

__all__ = ["AssessmentIndicator", "AssessmentScheme", "Attendance", "CheckOutcome", "CountyFigures", "Meeting", "MeetingAction",
           "MeetingAttendee", "MeetingProblem", "MeetingStatus", "MonthlyReport", "MonthlyReportEvent", "Presence",
           "ProductGroup", "ReportAction", "ReportStatus", "StationQuota", "Summons", "TownshipCheck", "TownshipScore",
           "TrainingMaterial", "TrainingSession"]
