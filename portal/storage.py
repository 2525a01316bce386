"""Where uploaded files live: on this server's disk (the default), or on S3-compatible object storage when
several application servers share them (docs/deploy.md, "Several servers").

Public media (photos, licence images, documents) are addressed under MEDIA_URL on the site's own host in
either case: on object storage the front cache passes /media/ to the public bucket, so pages still load
nothing from another host (the Content-Security-Policy allows none).

Private files (complaint and inspection photos, job results, uploads waiting for confirmation) have no
address at all: only views that check who is asking hand them out, streaming them through the
application. On disk they sit under PRIVATE_MEDIA_ROOT, which the web server never serves; on object
storage in a private bucket (or prefix), written with a private ACL and never given a signed URL.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible

NO_URL = "private files have no public URL; a view that checks the user serves them"


@deconstructible
class PrivateFileSystemStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read from settings each time (so tests can point it elsewhere),
    readable by the portal's own user only (other accounts on the server cannot read reporters' photos)."""

    def __init__(self, **kwargs):
        super().__init__(base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(NO_URL)


_on_disk = PrivateFileSystemStorage()


@deconstructible
class PrivateStorage(Storage):
    """The private files' storage as models name it: whatever STORAGES["private"] is (files under
    PRIVATE_MEDIA_ROOT unless object storage is configured). Choosing the backend by settings keeps the
    migrations, which record this class, the same on every installation."""

    @property
    def backend(self) -> Storage:
        return storages["private"] if "private" in settings.STORAGES else _on_disk

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def path(self, name):
        return self.backend.path(name)  # on disk only: object storage raises NotImplementedError

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def url(self, name):
        raise ValueError(NO_URL)
