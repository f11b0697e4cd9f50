from django.urls import path

from . import views_io

app_name = "io"

urlpatterns = [
    path("", views_io.index, name="index"),
    path("nhap/", views_io.upload, name="upload"),
    path("nhap/xac-nhan/", views_io.confirm, name="confirm"),
    path("mau/<slug:kind>.xlsx", views_io.template, name="template"),
    path("xuat/dat-chuan.<slug:fmt>", views_io.compliance, name="compliance"),
    path("xuat/<slug:kind>.<slug:fmt>", views_io.export, name="export"),
]
