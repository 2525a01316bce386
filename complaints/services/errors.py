"""What the complaint services raise. Both kinds carry a clear Chinese message for the person acting."""

from django.core.exceptions import PermissionDenied, ValidationError


class ComplaintError(ValidationError):
    """The action cannot be done as asked (wrong state, missing facts)."""


class TransitionNotAllowed(ComplaintError):
    """The action is not one the complaint's current state allows."""


class ComplaintChanged(ComplaintError):
    """Someone else acted on the complaint since the caller read it (optimistic concurrency)."""


class ComplaintPermissionDenied(PermissionDenied):
    """The user lacks the permission for the action, or the complaint is outside their grids."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)

    def __str__(self):
        return self.message
