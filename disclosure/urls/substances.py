"""Public URLs: substances. /substances/ is printed on every signboard, so the path never changes."""

from django.urls import path

from ..views import substances as views

urlpatterns = [
    path("substances/", views.substance_list, name="substance_list"),
    path("substances/poster.pdf", views.substances_poster, name="substances_poster"),
]
