from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clubs.admin import ScopedAdminMixin

from .models import Fund, FundMovement, Loan, Repayment


class RepaymentInline(admin.TabularInline):
    model = Repayment
    extra = 0


@admin.register(Loan)
class LoanAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("member", "kind", "amount_vnd", "disbursed_on", "repaid_on", "income_outcome")
    list_filter = ("kind", "income_outcome")
    raw_id_fields = ("member",)
    list_select_related = ("member",)
    readonly_fields = ("repaid_on",)
    inlines = [RepaymentInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_repaid()


class MovementInline(admin.TabularInline):
    model = FundMovement
    extra = 0


@admin.register(Fund)
class FundAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("club", "kind", "opened_on")
    list_filter = ("kind",)
    raw_id_fields = ("club",)
    list_select_related = ("club",)
    inlines = [MovementInline]
