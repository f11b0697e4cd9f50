"""URLs of the PDF phase reports, under ``reports/`` (namespace ``reports``)."""

from django.urls import path

from . import report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.request_report, name="request"),
    path("<int:pk>/", report_views.status, name="status"),
    path("<int:pk>/download/", report_views.download, name="download"),
]
