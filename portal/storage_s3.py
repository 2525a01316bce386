"""The object-storage backends (django-storages, S3-compatible), imported only when STORAGES names them:
settings switch to them when S3_BUCKET is set (docs/deploy.md, "Several servers"); see portal.storage."""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

from .storage import NO_URL


class PublicS3Storage(S3Storage):
    """Public media in the public bucket, addressed as MEDIA_URL + name on the site's own host: the front
    cache maps /media/ to the bucket's media prefix, so the pages' images stay same-origin."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name)


class PrivateS3Storage(S3Storage):
    """Private files in the private bucket (or prefix): a private ACL on every object, and no URL, signed
    or not; the application reads them and streams them after its permission checks."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(NO_URL)
