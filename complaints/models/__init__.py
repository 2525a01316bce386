"""Models of the complaints domain (投诉举报).

Modules depend one way: complaints ← events, attachments; open311 stands alone.
"""

from .attachments import ActionPhoto, Attachment, StagedUpload, private_storage
from .complaints import (
    FINISHED_STATES,
    IN_HAND_STATES,
    OFFLINE_CHANNELS,
    OPEN_STATES,
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Category,
    Channel,
    Complaint,
    ComplaintQuerySet,
    Kind,
    Rating,
    State,
    format_tracking_code,
)
from .events import PUBLIC_ACTIONS, Action, ComplaintEvent
from .open311 import Open311Client

__all__ = [
    "FINISHED_STATES", "IN_HAND_STATES", "OFFLINE_CHANNELS", "OPEN_STATES", "PUBLIC_ACTIONS", "TRACKING_ALPHABET",
    "TRACKING_LENGTH", "Action", "ActionPhoto", "Attachment", "Category", "Channel", "Complaint", "ComplaintEvent",
    "ComplaintQuerySet", "Kind", "Open311Client", "Rating", "StagedUpload", "State", "format_tracking_code",
    "private_storage",
]
