from django.urls import path

from . import views

app_name = "clubs"

urlpatterns = [
    path("", views.club_list, name="list"),
    path("new/", views.club_create, name="create"),
    path("communes.json", views.communes_json, name="communes"),
    path("confirm-commune/", views.awaiting_commune, name="awaiting"),
    path("confirm-commune/<int:pk>/", views.confirm_commune, name="confirm_commune"),
    path("<int:pk>/", views.club_detail, name="detail"),
    path("<int:pk>/edit/", views.club_edit, name="edit"),
    path("<int:pk>/dissolve/", views.club_dissolve, name="dissolve"),
]
