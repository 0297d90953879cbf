"""The manager dashboard."""

from django.urls import path

from commissioning.web import dashboard

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
]
