"""Public URLs of the disclosure app. Each area keeps its own module; the paths are a contract."""

from . import badges, grids, producers, substances

urlpatterns = grids.urlpatterns + producers.urlpatterns + substances.urlpatterns + badges.urlpatterns
