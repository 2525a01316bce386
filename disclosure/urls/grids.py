"""Public URLs: grids."""

urlpatterns: list = []
