"""Forms of the back office: one small form per lifecycle action, and the offline-complaint form.

Each action form carries the hidden `expected_version` (the complaint's version the page showed) and the
fields its service needs; `service_kwargs()` turns the cleaned data into the service's keyword arguments.
Text is checked here with portal.text.clean_text so that messages stand beside their fields;
the services check again and stay the authority.

Modules: fields (shared fields and widgets), actions (ACTION_FORMS and the action forms, ACTION_ORDER,
SECONDARY_ACTIONS), record (RecordForm). The public names (`__all__`) are re-exported here, so `staff.forms` imports stay.
"""

from complaints.models import Channel

from .actions import ACTION_FORMS, ACTION_ORDER, SECONDARY_ACTIONS, ActionForm
from .record import RecordForm

__all__ = ["ACTION_FORMS", "ACTION_ORDER", "SECONDARY_ACTIONS", "ActionForm", "Channel", "RecordForm"]
