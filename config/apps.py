"""Third-party apps under a Vietnamese name in the admin (their own names are not translatable);
``INSTALLED_APPS`` lists these in their place. Labels, models and migrations are the apps' own."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Chống dò mật khẩu")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Việc chạy nền")
