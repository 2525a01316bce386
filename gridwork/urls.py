"""Public URLs of running the grid. The paths are a contract."""

from django.urls import path

from . import views

urlpatterns = [path("", views.results, name="results")]
