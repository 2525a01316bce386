"""Public URLs: producers."""

urlpatterns: list = []
