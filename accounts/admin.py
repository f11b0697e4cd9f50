from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import AuditEvent, RetentionPolicy, User


@admin.register(User)
class ProgrammeUserAdmin(UserAdmin):
    """Administrators add users, reset an officer's password ("change password" form on the
    user's page) and deactivate those who leave: an inactive user is signed out at their next
    request and cannot sign in again."""

    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = UserAdmin.fieldsets + ((_("Vai trò"), {"fields": ("role",)}),)
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Vai trò"), {"fields": ("role",)}),)
    actions = ["deactivate"]

    @admin.action(description=_("Khoá các tài khoản đã chọn (người đã nghỉ)"))
    def deactivate(self, request, queryset):
        n = queryset.exclude(pk=request.user.pk).update(is_active=False)
        self.message_user(
            request,
            ngettext("Đã khoá %(n)d tài khoản.", "Đã khoá %(n)d tài khoản.", n) % {"n": n},
            messages.SUCCESS,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, edits or deletes audit records through the admin."""

    list_display = ("at", "username", "action", "detail")
    list_filter = ("action",)
    search_fields = ("username", "detail")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    """The single retention-policy row: administrators edit it, never add or delete one."""

    def has_add_permission(self, request):
        return not RetentionPolicy.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
