from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.national, name="national"),
    path("export/compliance.<str:fmt>", views.compliance_export, name="compliance_export"),
    path("export/<slug:table>.<str:fmt>", views.national_export, name="national_export"),
    path("province/<str:code>/", views.province, name="province"),
    path(
        "province/<str:code>/export/<slug:table>.<str:fmt>",
        views.province_export,
        name="province_export",
    ),
]
