from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class ProgrammeUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = UserAdmin.fieldsets + ((_("Vai trò"), {"fields": ("role",)}),)
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Vai trò"), {"fields": ("role",)}),)
