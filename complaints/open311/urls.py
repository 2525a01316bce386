"""Open311 GeoReport v2 (/api/open311/v2/)."""

urlpatterns: list = []
