from django.urls import path

from . import views

app_name = "loans"

urlpatterns = [
    path("overdue/", views.overdue, name="overdue"),
    path("club/<int:club_pk>/new/", views.loan_create, name="create"),
    path("<int:pk>/", views.loan_detail, name="detail"),
    path("<int:pk>/edit/", views.loan_edit, name="edit"),
    path("<int:pk>/repay/", views.loan_repay, name="repay"),
    path("<int:pk>/outcome/", views.loan_outcome, name="outcome"),
]
