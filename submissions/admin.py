from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import flow
from .models import Period, ReopenedEdit, Reopening, Status, Step, Submission


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "ends_on", "deadline")
    list_filter = ("kind",)
    list_editable = ("deadline",)


class StepInline(admin.TabularInline):
    model = Step
    fields = ("action", "user", "at", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: steps are taken on the submissions pages; exceptions under "Reopenings"."""

    list_display = ("province", "period", "status", "must_resubmit")
    list_filter = ("status", "period")
    readonly_fields = ("period", "province", "status", "must_resubmit")
    inlines = [StepInline]

    def has_add_permission(self, request):
        return False


class ReopeningForm(forms.ModelForm):
    class Meta:
        model = Reopening
        fields = ("submission", "until", "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "submission" in self.fields:
            self.fields["submission"].queryset = Submission.objects.filter(
                status=Status.ACCEPTED
            ).select_related("period__phase", "province")

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise ValidationError(_("Ngày mở đến không được trước hôm nay."))
        return until


class ReopenedEditInline(admin.TabularInline):
    model = ReopenedEdit
    fields = ("model", "club", "since", "at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Reopening)
class ReopeningAdmin(admin.ModelAdmin):
    """An administrator reopens an accepted period for a province until a date; the changes
    made meanwhile are listed, and the province must submit again."""

    form = ReopeningForm
    list_display = ("submission", "until", "granted_by", "granted_at")
    inlines = [ReopenedEditInline]

    def get_readonly_fields(self, request, obj=None):
        return ("submission", "granted_by", "granted_at") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            made = flow.reopen(obj.submission_id, request.user, obj.until, obj.reason)
        except flow.StepRefused as error:
            raise ValidationError(str(error)) from error
        obj.pk = made.pk
        obj.granted_by = made.granted_by
        obj.granted_at = made.granted_at
