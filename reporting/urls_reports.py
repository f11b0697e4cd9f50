"""URLs of the phase reports (PDF and Word), under ``reports/`` (namespace ``reports``)."""

from django.urls import path

from . import report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.request_report, name="request"),
    path("<int:pk>/", report_views.status, name="status"),
    path("<int:pk>/download/", report_views.download, name="download"),
    path("<int:pk>/download/docx/", report_views.download_docx, name="download_docx"),
    path("<int:pk>/annex/", report_views.annex, name="annex"),
    path("verify/", report_views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", report_views.verify, name="verify"),
    path("verify/<str:code>/figures.json", report_views.verify_figures, name="verify_figures"),
]
