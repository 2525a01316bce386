"""/field/: the inspector's phone app (installable, works without signal). Wired in portal/urls.py."""

from django.urls import path

from .views import field

app_name = "field"

urlpatterns = [
    path("", field.home, name="home"),
    path("inspect/", field.inspect, name="inspect"),
    path("sample/", field.sample, name="sample"),
    path("plan.json", field.plan_json, name="plan"),
    path("sync/", field.sync, name="sync"),
    path("sw.js", field.service_worker, name="sw"),
    path("manifest.webmanifest", field.manifest, name="manifest"),
]
