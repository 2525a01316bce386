"""Public complaint URLs (/complaints/…)."""

app_name = "complaints"
urlpatterns: list = []
