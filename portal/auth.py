"""The back office's sign-in form: Wagtail's, with the password field labelled in the chosen language
(Wagtail 8 leaves it without a label, so Django shows the English field name "Password")."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("密码")
