"""Open311 GeoReport v2 (/api/open311/v2/). Every resource answers in .json or .xml."""

from django.urls import re_path

from . import views

FMT = r"\.(?P<fmt>[a-z0-9]{1,10})$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="open311_discovery"),
    re_path(r"^services" + FMT, views.services, name="open311_services"),
    re_path(r"^services/(?P<code>[^/]{1,60})" + FMT, views.service_definition, name="open311_service"),
    re_path(r"^requests" + FMT, views.requests_, name="open311_requests"),
    re_path(r"^requests/(?P<pk>[^/]{1,40})" + FMT, views.request_detail, name="open311_request"),
]
