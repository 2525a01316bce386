"""Open data API (/api/v1/): the ninja endpoints, the OpenAPI description, the docs page; CORS open."""

from django.urls import URLPattern, path, re_path

from . import views
from .endpoints import api

_api_patterns, _app_name, _namespace = api.urls


def _open(patterns):
    wrapped = []
    for p in patterns:
        callback = views.open_data(p.callback)
        if p.name == "index":
            callback = views.browsers_to_docs(callback)
        wrapped.append(URLPattern(p.pattern, callback, p.default_args, p.name))
    return wrapped


urlpatterns = [
    path("schema/", views.open_data(views.schema), name="api_schema"),
    path("docs/", views.docs, name="api_docs"),
    *_open(_api_patterns),
    re_path(r"^(?P<rest>.*)$", views.open_data(views.not_found)),
]
