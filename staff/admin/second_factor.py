"""Back office: the second factor's screens under /admin/second-factor/ (see staff/second_factor.py) and
the sign-in lockouts under /admin/lockouts/."""

from django.urls import path
from wagtail.admin.viewsets.base import ViewSet

from ..views.lockouts import LockoutsView
from ..views.second_factor import ResetView, SecondFactorIndexView, SetupView, VerifyView


class SecondFactorViewSet(ViewSet):
    name = "second_factor"
    url_prefix = "second-factor"
    icon = "key"

    def get_urlpatterns(self):
        return [
            path("", SecondFactorIndexView.as_view(), name="index"),
            path("setup/", SetupView.as_view(), name="setup"),
            path("verify/", VerifyView.as_view(), name="verify"),
            path("reset/<int:pk>/", ResetView.as_view(), name="reset"),
        ]


second_factor_viewset = SecondFactorViewSet()


class LockoutsViewSet(ViewSet):
    name = "lockouts"
    url_prefix = "lockouts"
    icon = "lock"

    def get_urlpatterns(self):
        return [path("", LockoutsView.as_view(), name="index")]


lockouts_viewset = LockoutsViewSet()
