from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.national, name="national"),
    path("xuat/<slug:table>.<str:fmt>", views.national_export, name="national_export"),
    path("tinh/<str:code>/", views.province, name="province"),
    path(
        "tinh/<str:code>/xuat/<slug:table>.<str:fmt>",
        views.province_export,
        name="province_export",
    ),
]
