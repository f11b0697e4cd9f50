from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_create, name="create"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("visits/club/<int:club_pk>/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
]
