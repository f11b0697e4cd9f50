from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("", views.status, name="status"),
    path("<int:period>/<str:code>/", views.detail, name="detail"),
    path("<int:period>/<str:code>/submit/", views.submit, name="submit"),
    path("<int:period>/<str:code>/review/", views.review, name="review"),
]
