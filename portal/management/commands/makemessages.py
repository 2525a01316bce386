"""`makemessages` that also extracts `_t("…")`.

Several modules import `gettext as _t` (so `_` can stay the lazy variant); xgettext only knows the standard
names, so without this their strings never reached locale/en/LC_MESSAGES/django.po.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_t"]
