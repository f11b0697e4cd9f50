"""The programme pages (URLs in ``reporting.urls_programme``, namespace ``programme``): the
phases with their quality criteria and programme targets, the provinces' own targets, and the
users with their provinces, in the product instead of the Django admin.

Who may do what (``accounts.access``): every signed-in user reads the phases, criteria and
targets; the provinces' targets are read by the board and administrators for every province
and by an officer for their own; an officer enters their own provinces' targets, an
administrator every province's; only administrators change criteria, programme targets and
users (403 for the others). Every save goes through the model's ``save()``, which sends
``common.signals.data_changed`` (``reporting.cache``), so the dashboards count again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import can_write, province_ids_for, writer_required
from accounts.models import User
from clubs.models import Era
from common.http import form_data, parse_id

from .models import Phase, ProvinceTarget
from .programme_forms import (
    CriterionFormSet,
    ProvinceTargetForm,
    TargetFormSet,
    UserCreateForm,
    UserEditForm,
    target_provinces,
)


def _admin_only(user):
    if not (user.is_authenticated and user.is_administrator):
        raise PermissionDenied


@login_required
@require_safe
def phase_list(request):
    return render(
        request,
        "reporting/programme/phase_list.html",
        {"phases": Phase.objects.all(), "is_admin": request.user.is_administrator},
    )


@login_required
@require_safe
def phase_detail(request, code):
    """A phase's quality criteria and programme targets (shares shown as percentages)."""
    phase = get_object_or_404(Phase, code=code)
    return render(
        request,
        "reporting/programme/phase_detail.html",
        {
            "phase": phase,
            "criteria": phase.criteria.all(),
            "targets": phase.targets.all(),
            "is_admin": request.user.is_administrator,
            "can_enter_targets": can_write(request.user),
        },
    )


def _edit_rows(request, phase, formset_class, queryset, template, saved):
    _admin_only(request.user)
    formset = formset_class(form_data(request), queryset=queryset, prefix="rows")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, saved)
        return redirect("programme:phase", code=phase.code)
    return render(request, template, {"phase": phase, "formset": formset})


@login_required
def criteria_edit(request, code):
    """Administrators: the bounds and parameters of a phase's quality criteria."""
    phase = get_object_or_404(Phase, code=code)
    return _edit_rows(
        request,
        phase,
        CriterionFormSet,
        phase.criteria.all(),
        "reporting/programme/criteria_form.html",
        _("Đã lưu tiêu chí chất lượng của giai đoạn %(code)s.") % {"code": phase.code},
    )


@login_required
def targets_edit(request, code):
    """Administrators: the levels of a phase's programme targets."""
    phase = get_object_or_404(Phase, code=code)
    return _edit_rows(
        request,
        phase,
        TargetFormSet,
        phase.targets.all(),
        "reporting/programme/targets_form.html",
        _("Đã lưu chỉ tiêu của giai đoạn %(code)s.") % {"code": phase.code},
    )


def province_target_rows(user, phase: Phase) -> list[dict]:
    """The provinces' targets of ``phase`` that ``user`` may read, as rows for the page: each
    ``{"province", "clubs", "members", "parts"}``. Targets set for the old provinces (a phase
    that started before 01/07/2025) are grouped under the new province each merged into, whose
    row shows their sums (``None`` when none of them set that number) and lists them in
    ``parts``; the new-era targets are rows of their own. An officer sees their provinces."""
    targets = ProvinceTarget.objects.filter(phase=phase).select_related("province__successor")
    ids = province_ids_for(user)
    if phase.target_era == Era.PRE2025:
        if ids is not None:
            targets = targets.filter(province__successor_id__in=ids)
        groups = {}
        for t in sorted(targets, key=lambda t: t.province.name):
            new = t.province.successor
            row = groups.setdefault(
                new.pk, {"province": new, "clubs": None, "members": None, "parts": []}
            )
            row["parts"].append(t)
            for name in ("clubs", "members"):
                value = getattr(t, name)
                if value is not None:
                    row[name] = (row[name] or 0) + value
        return sorted(groups.values(), key=lambda r: r["province"].name)
    if ids is not None:
        targets = targets.filter(province_id__in=ids)
    return [
        {"province": t.province, "clubs": t.clubs, "members": t.members, "parts": []}
        for t in sorted(targets, key=lambda t: t.province.name)
    ]


@login_required
def province_targets(request, code):
    """The provinces' own targets of a phase, and (officers for their provinces,
    administrators for all) the form that enters one province's: ``?province=<id>`` opens it
    on that province's current numbers."""
    phase = get_object_or_404(Phase, code=code)
    form = None
    if request.method == "POST" and not can_write(request.user):
        raise PermissionDenied
    if can_write(request.user):
        initial = {}
        chosen = parse_id(request.GET.get("province"))
        choices = target_provinces(request.user, phase)
        if chosen and choices.filter(pk=chosen).exists():
            row = ProvinceTarget.objects.filter(phase=phase, province_id=chosen).first()
            initial = {"province": chosen}
            if row:
                initial.update(clubs=row.clubs, members=row.members)
        elif choices.count() == 1:
            initial = {"province": choices.get().pk}
        form = ProvinceTargetForm(
            form_data(request), user=request.user, phase=phase, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                row = form.save()
            province = form.cleaned_data["province"]
            if row is None:
                messages.success(request, _("Đã xoá chỉ tiêu của %(p)s.") % {"p": province.name})
            else:
                messages.success(request, _("Đã lưu chỉ tiêu của %(p)s.") % {"p": province.name})
            return redirect("programme:province_targets", code=phase.code)
    return render(
        request,
        "reporting/programme/province_targets.html",
        {
            "phase": phase,
            "rows": province_target_rows(request.user, phase),
            "form": form,
            "grouped": phase.target_era == Era.PRE2025,
            "era_label": Era(phase.target_era).label,
        },
    )


@login_required
@require_safe
def user_list(request):
    """Administrators: every user with their role and provinces."""
    _admin_only(request.user)
    users = User.objects.prefetch_related("assignments__province").order_by("role", "username")
    return render(request, "reporting/programme/user_list.html", {"users": users})


@writer_required
def user_create(request):
    _admin_only(request.user)
    form = UserCreateForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
        messages.success(request, _("Đã tạo người dùng %(u)s.") % {"u": user.username})
        return redirect("programme:users")
    return render(request, "reporting/programme/user_form.html", {"form": form, "person": None})


@writer_required
def user_edit(request, pk):
    _admin_only(request.user)
    person = get_object_or_404(User, pk=pk)
    form = UserEditForm(form_data(request), instance=person)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Đã lưu người dùng %(u)s.") % {"u": person.username})
        return redirect("programme:users")
    return render(request, "reporting/programme/user_form.html", {"form": form, "person": person})
