"""URLs of the programme pages, under ``programme/`` (namespace ``programme``): phases with
their criteria and targets, the provinces' own targets, users and their provinces."""

from django.urls import path

from . import programme_views as views

app_name = "programme"

urlpatterns = [
    path("", views.phase_list, name="phases"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("<str:code>/", views.phase_detail, name="phase"),
    path("<str:code>/criteria/", views.criteria_edit, name="criteria"),
    path("<str:code>/targets/", views.targets_edit, name="targets"),
    path("<str:code>/provinces/", views.province_targets, name="province_targets"),
]
