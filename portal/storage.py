"""Private file storage: files under settings.PRIVATE_MEDIA_ROOT, which the web server never serves.

Only views that check who is asking hand them out (complaint photos, inspection photos).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read from settings each time (so tests can point it elsewhere),
    readable by the portal's own user only (other accounts on the server cannot read reporters' photos)."""

    def __init__(self):
        super().__init__(base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no public URL; a view that checks the user serves them")
