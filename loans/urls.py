from django.urls import path

from . import views

app_name = "loans"

urlpatterns = [
    path("overdue/", views.overdue, name="overdue"),
    path("club/<int:club_pk>/new/", views.loan_create, name="create"),
    path("club/<int:club_pk>/grid/", views.loan_grid, name="grid"),
    path("club/<int:club_pk>/funds/", views.club_funds, name="funds"),
    path("club/<int:club_pk>/funds/<slug:kind>/open/", views.fund_open, name="fund_open"),
    path("fund/<int:fund_pk>/movement/", views.movement_create, name="movement"),
    path("<int:pk>/", views.loan_detail, name="detail"),
    path("<int:pk>/edit/", views.loan_edit, name="edit"),
]
