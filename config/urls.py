from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from clubs import views as club_views

# The admin (for administrators) in the product's words, not "Django administration".
admin.site.site_header = _("Quản trị CLB LTHTGN")
admin.site.site_title = _("Quản trị CLB LTHTGN")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    path("", club_views.home, name="home"),
    path("clubs/", include("clubs.urls")),
    path("members/", include("members.urls")),
    path("loans/", include("loans.urls")),
    path("training/", include("training.urls")),
    path("activities/", include("activities.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Every signed-in user changes their own password (OWASP ASVS 4.0 2.1.5): the current one,
    # then the new one twice, checked by AUTH_PASSWORD_VALIDATORS; other sessions end.
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("data/", include("spreadsheets.urls")),
    path("dashboard/", include("reporting.urls")),
    path("reports/", include("reporting.urls_reports")),
    path("submissions/", include("submissions.urls")),
    path("programme/", include("reporting.urls_programme")),
]
handler500 = "config.errors.server_error"
