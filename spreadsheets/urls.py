from django.urls import path

from . import views

app_name = "spreadsheets"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.upload, name="upload"),
    path("import/confirm/", views.confirm, name="confirm"),
    path("import/reread/", views.reread, name="reread"),
    path("import/cancel/", views.cancel, name="cancel"),
    path("import/jobs/<int:pk>/", views.job_page, name="job"),
    path("templates/<slug:kind>.xlsx", views.template, name="template"),
    path("export/<slug:kind>.<slug:fmt>", views.export, name="export"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/undo/", views.batch_undo, name="batch_undo"),
]
