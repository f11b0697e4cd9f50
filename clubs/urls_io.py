from django.urls import path

from . import views_io

app_name = "io"

urlpatterns = [
    path("", views_io.index, name="index"),
    path("import/", views_io.upload, name="upload"),
    path("import/confirm/", views_io.confirm, name="confirm"),
    path("templates/<slug:kind>.xlsx", views_io.template, name="template"),
    path("export/compliance.<slug:fmt>", views_io.compliance, name="compliance"),
    path("export/<slug:kind>.<slug:fmt>", views_io.export, name="export"),
]
