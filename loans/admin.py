from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clubs.admin import ScopedAdminMixin

from .models import Loan


@admin.register(Loan)
class LoanAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("member", "kind", "amount_vnd", "disbursed_on", "income_outcome")
    list_filter = ("kind", "income_outcome")
    raw_id_fields = ("member",)
    list_select_related = ("member",)
