"""Included under api/v1/ by the root URL conf."""

from django.urls import path

from workers.api.pulse_views import TrustResultsView

urlpatterns = [
    path("trust/results/", TrustResultsView.as_view(), name="trust-results"),
]
