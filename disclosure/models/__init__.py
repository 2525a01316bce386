"""Models of the disclosure domain: grids and people, staff badges, producers and grades, signboards, substances.

Modules depend one way: grids ← people ← badges, people ← producers ← ratings/signboards; substances stand alone.
"""

from .badges import Badge, BadgeState
from .grids import ABOVE_COUNTY, Grid, GridLevel
from .people import Person, Role, RoleAssignment
from .producers import Producer, ProducerKind, PublicCode, RiskLevel
from .ratings import CreditRating, Grade, ProducerStatement, RiskAssessment
from .signboards import Signboard
from .sites import ServedGrid
from .substances import Substance

__all__ = [
    "Badge", "BadgeState", "CreditRating", "Grade", "Grid", "GridLevel", "Person", "Producer", "ProducerKind", "ProducerStatement", "PublicCode",
    "RiskAssessment", "RiskLevel", "Role", "RoleAssignment", "ServedGrid", "Signboard", "Substance", "ABOVE_COUNTY",
]
