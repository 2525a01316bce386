"""Back-office menu pieces shared by every app's admin screens."""

from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    """A menu entry shown to users holding one permission."""

    def __init__(self, perm: str, *args, **kwargs):
        self.perm = perm
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.perm)
