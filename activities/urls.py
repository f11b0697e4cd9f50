from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("club/<int:club_pk>/meetings/<int:year>/", views.meeting_grid, name="meetings"),
    path(
        "club/<int:club_pk>/activities/<int:year>/<int:month>/",
        views.activity_month,
        name="month",
    ),
]
