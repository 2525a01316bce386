"""Public URLs: substances."""

urlpatterns: list = []
