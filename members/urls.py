from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.member_search, name="search"),
    path("club/<int:club_pk>/new/", views.member_create, name="create"),
    path("club/<int:club_pk>/quick/", views.quick_entry, name="quick"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/leave/", views.member_leave, name="leave"),
    path("<int:pk>/transfer/", views.member_transfer, name="transfer"),
    path("<int:pk>/assessments/new/", views.assessment_create, name="assess"),
    path("club/<int:club_pk>/recertify/", views.recertify, name="recertify"),
    path("commune/<int:commune_pk>/recertify/", views.recertify_commune, name="recertify_commune"),
]
