"""Public complaint URLs (/complaints/…). /complaints/new/ and /complaints/track/ are printed on signs."""

from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("new/", views.complaint_new, name="new"),
    path("new/photo/<str:token>/", views.staged_photo, name="staged_photo"),
    path("receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/rate/", views.track_rate, name="track_rate"),
    path("track/reopen/", views.track_reopen, name="track_reopen"),
    path("track/end/", views.track_end, name="track_end"),
    path("producers.json", views.producer_options, name="producer_options"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo, {"thumbnail": True}, name="photo_thumbnail"),
    path("action-photos/<int:pk>/", views.action_photo, name="action_photo"),
    path("action-photos/<int:pk>/thumb/", views.action_photo, {"thumbnail": True}, name="action_photo_thumbnail"),
]
