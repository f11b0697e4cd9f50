from django.contrib import admin

from .models import Criterion, Phase, ProvinceTarget, Target


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "decision", "starts_on", "ends_on")
    inlines = [CriterionInline, TargetInline]


@admin.register(ProvinceTarget)
class ProvinceTargetAdmin(admin.ModelAdmin):
    list_display = ("phase", "province", "clubs", "members")
    list_filter = ("phase",)
    raw_id_fields = ("province",)
