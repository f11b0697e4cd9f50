"""The programme pages: criteria and targets typed as percentages, the provinces' own targets
(an officer for their provinces, in the units of the phase's era, summed into the new
provinces), users and their provinces; every save moves the data version."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from clubs.models import Era, OfficerAssignment
from reporting.cache import unscoped_version
from reporting.models import Criterion, Phase, ProvinceTarget, Target
from tests import factories


def _management(prefix, forms):
    return {f"{prefix}-TOTAL_FORMS": str(forms), f"{prefix}-INITIAL_FORMS": str(forms)}


def test_phase_target_era_is_that_of_its_first_day(db):
    assert Phase.objects.get(code="2021-2025").target_era == Era.PRE2025
    assert Phase.objects.get(code="2025-2030").target_era == Era.POST2025


def test_officer_enters_the_old_provinces_of_their_new_province(client, officer_a):
    phase = Phase.objects.get(code="2021-2025")
    client.force_login(officer_a)
    page = client.get(reverse("programme:province_targets", args=[phase.code]))
    choices = page.context["form"].fields["province"].queryset
    # New Tuyên Quang (08) took in old Hà Giang (02) and old Tuyên Quang (08): both, old era.
    assert sorted(choices.values_list("era", "code")) == [("pre2025", "02"), ("pre2025", "08")]
    before = unscoped_version()
    ha_giang = factories.province("pre2025", "02")
    tuyen_quang = factories.province("pre2025", "08")
    for province, clubs, members in ((ha_giang, 120, 6000), (tuyen_quang, 80, None)):
        response = client.post(
            reverse("programme:province_targets", args=[phase.code]),
            {"province": province.pk, "clubs": clubs, "members": members or ""},
        )
        assert response.status_code == 302
    assert sorted(
        ProvinceTarget.objects.filter(phase=phase).values_list("province__code", "clubs", "members")
    ) == [("02", 120, 6000), ("08", 80, None)]
    assert unscoped_version() == before + 2  # the write path's mark, once per save
    # The new province's row sums them: 120 + 80 clubs; members only Hà Giang's 6,000.
    rows = client.get(reverse("programme:province_targets", args=[phase.code])).context["rows"]
    assert [(r["province"].code, r["clubs"], r["members"], len(r["parts"])) for r in rows] == [
        ("08", 200, 6000, 2)
    ]
    # Both numbers empty removes the row.
    client.post(
        reverse("programme:province_targets", args=[phase.code]),
        {"province": tuyen_quang.pk, "clubs": "", "members": ""},
    )
    assert list(ProvinceTarget.objects.values_list("province__code", flat=True)) == ["02"]


def test_another_provinces_target_is_refused_in_words(client, officer_b):
    phase = Phase.objects.get(code="2021-2025")
    client.force_login(officer_b)
    response = client.post(
        reverse("programme:province_targets", args=[phase.code]),
        {"province": factories.province("pre2025", "02").pk, "clubs": 5},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["province"] == [
        "Bạn chỉ nhập được chỉ tiêu của tỉnh mình phụ trách."
    ]
    assert not ProvinceTarget.objects.exists()


def test_the_board_reads_every_province_and_enters_nothing(client, board, officer_a):
    phase = Phase.objects.get(code="2021-2025")
    ProvinceTarget.objects.create(
        phase=phase, province=factories.province("pre2025", "83"), clubs=40
    )
    ProvinceTarget.objects.create(
        phase=phase, province=factories.province("pre2025", "84"), clubs=10, members=300
    )
    ProvinceTarget.objects.create(
        phase=phase, province=factories.province("pre2025", "02"), clubs=7
    )
    client.force_login(board)
    page = client.get(reverse("programme:province_targets", args=[phase.code]))
    assert page.context["form"] is None
    # Bến Tre (83) and Trà Vinh (84) went into Vĩnh Long: 50 clubs, 300 members.
    assert [(r["province"].name, r["clubs"], r["members"]) for r in page.context["rows"]] == [
        ("Tỉnh Tuyên Quang", 7, None),
        ("Tỉnh Vĩnh Long", 50, 300),
    ]
    post = client.post(reverse("programme:province_targets", args=[phase.code]), {"clubs": 1})
    assert post.status_code == 403
    client.force_login(officer_a)
    rows = client.get(reverse("programme:province_targets", args=[phase.code])).context["rows"]
    assert [r["province"].code for r in rows] == ["08"]


def test_new_era_phase_targets_are_the_new_provinces(client, officer_a, province_a):
    phase = Phase.objects.get(code="2025-2030")
    client.force_login(officer_a)
    page = client.get(reverse("programme:province_targets", args=[phase.code]))
    assert list(page.context["form"].fields["province"].queryset) == [province_a]


def test_criteria_are_typed_as_percentages(client, admin_user):
    phase = Phase.objects.get(code="2021-2025")
    criteria = list(phase.criteria.all())
    women = next(c for c in criteria if c.metric == "women")
    data = _management("rows", len(criteria))
    for i, c in enumerate(criteria):
        data[f"rows-{i}-id"] = c.pk
        data[f"rows-{i}-label"] = c.label
        for name in ("min_count", "max_count", "age_threshold", "monitoring_months"):
            if getattr(c, name) is not None:
                data[f"rows-{i}-{name}"] = getattr(c, name)
        for name in ("min_share", "max_share"):
            value = getattr(c, name)
            if value is not None:
                data[f"rows-{i}-{name}"] = format((value * 100).normalize(), "f")
        if c.require_improved:
            data[f"rows-{i}-require_improved"] = "on"
        if c.pk == women.pk:
            data[f"rows-{i}-min_share"] = "62,5"
            data[f"rows-{i}-max_share"] = "75"
    client.force_login(admin_user)
    before = unscoped_version()
    response = client.post(reverse("programme:criteria", args=[phase.code]), data)
    assert response.status_code == 302, response.context["formset"].errors
    women.refresh_from_db()
    assert (women.min_share, women.max_share) == (Decimal("0.6250"), Decimal("0.7500"))
    assert unscoped_version() > before
    # A minimum above the maximum is refused, nothing saved.
    i = next(i for i, c in enumerate(criteria) if c.pk == women.pk)
    data[f"rows-{i}-min_share"] = "80"
    again = client.post(reverse("programme:criteria", args=[phase.code]), data)
    assert again.status_code == 200
    assert again.context["formset"].forms[i].errors["max_share"] == [
        "Tỷ lệ tối thiểu không được lớn hơn tỷ lệ tối đa."
    ]
    women.refresh_from_db()
    assert women.min_share == Decimal("0.6250")


def _criteria_data(criteria):
    """The criteria page's POST that keeps every criterion as it is."""
    data = _management("rows", len(criteria))
    for i, c in enumerate(criteria):
        data[f"rows-{i}-id"] = c.pk
        data[f"rows-{i}-label"] = c.label
        for name in ("min_count", "max_count", "age_threshold", "monitoring_months"):
            if getattr(c, name) is not None:
                data[f"rows-{i}-{name}"] = getattr(c, name)
        for name in ("min_share", "max_share"):
            if getattr(c, name) is not None:
                data[f"rows-{i}-{name}"] = format((getattr(c, name) * 100).normalize(), "f")
        if c.require_improved:
            data[f"rows-{i}-require_improved"] = "on"
    return data


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("0", "Hãy nhập một số nguyên từ 1 đến 32767."),
        ("-3", "Hãy nhập một số nguyên từ 1 đến 32767."),
        # SQLite would store it; the dates of such a window pass the year 9999.
        ("99999999999", "Hãy nhập một số nguyên từ 1 đến 32767."),
    ],
)
@pytest.mark.parametrize("field", ["monitoring_months", "age_threshold"])
def test_a_window_or_age_out_of_bounds_is_refused(client, admin_user, field, typed, error):
    """Found trying the page: 0 months (and 0 years) were saved, the bound of 1 being set on
    the built field, where it only reached the browser."""
    phase = Phase.objects.get(code="2021-2025")
    criteria = list(phase.criteria.all())
    data = _criteria_data(criteria)
    i = next(i for i, c in enumerate(criteria) if getattr(c, field) is not None)
    before = getattr(criteria[i], field)
    data[f"rows-{i}-{field}"] = typed
    client.force_login(admin_user)
    response = client.post(reverse("programme:criteria", args=[phase.code]), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[i].errors[field] == [error]
    assert f'value="{typed}"' in response.content.decode()  # what was typed is kept
    assert getattr(Criterion.objects.get(pk=criteria[i].pk), field) == before


def test_a_target_age_of_0_is_refused(client, admin_user):
    phase = Phase.objects.get(code="2021-2025")
    targets = list(phase.targets.all())
    data = _management("rows", len(targets))
    for i, t in enumerate(targets):
        data[f"rows-{i}-id"] = t.pk
        data[f"rows-{i}-label"] = t.label
        data[f"rows-{i}-comparison"] = t.comparison
        data[f"rows-{i}-value"] = (
            format((t.value * 100).normalize(), "f") if t.is_share else str(int(t.value))
        )
        if t.age_threshold:
            data[f"rows-{i}-age_threshold"] = t.age_threshold
    i = next(i for i, t in enumerate(targets) if t.age_threshold)
    data[f"rows-{i}-age_threshold"] = "0"
    client.force_login(admin_user)
    response = client.post(reverse("programme:targets", args=[phase.code]), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[i].errors["age_threshold"] == [
        "Hãy nhập một số nguyên từ 1 đến 32767."
    ]
    assert Target.objects.get(pk=targets[i].pk).age_threshold == targets[i].age_threshold


def test_a_share_target_of_60_percent_is_three_fifths(client, admin_user):
    phase = Phase.objects.get(code="2021-2025")
    targets = list(phase.targets.all())
    data = _management("rows", len(targets))
    for i, t in enumerate(targets):
        data[f"rows-{i}-id"] = t.pk
        data[f"rows-{i}-label"] = t.label
        data[f"rows-{i}-comparison"] = t.comparison
        data[f"rows-{i}-value"] = (
            format((t.value * 100).normalize(), "f") if t.is_share else str(int(t.value))
        )
        if t.age_threshold:
            data[f"rows-{i}-age_threshold"] = t.age_threshold
    share = next(i for i, t in enumerate(targets) if t.is_share)
    data[f"rows-{share}-value"] = "60"
    client.force_login(admin_user)
    response = client.post(reverse("programme:targets", args=[phase.code]), data)
    assert response.status_code == 302, response.context["formset"].errors
    saved = Target.objects.get(pk=targets[share].pk)
    assert saved.value == Decimal("0.6000") and saved.value * 5 == 3


@pytest.mark.parametrize("role", ["officer_a", "board"])
def test_only_administrators_edit_criteria_targets_and_users(db, client, request, role):
    client.force_login(request.getfixturevalue(role))
    phase = Phase.objects.get(code="2021-2025")
    for url in (
        reverse("programme:criteria", args=[phase.code]),
        reverse("programme:targets", args=[phase.code]),
        reverse("programme:users"),
        reverse("programme:user_create"),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code in (403, 405)
    assert Criterion.objects.filter(phase=phase).count() > 0


def test_administrator_creates_an_officer_with_provinces(client, admin_user, province_a):
    client.force_login(admin_user)
    data = {
        "username": "canbo_tq",
        "last_name": "Nguyễn Văn",
        "first_name": "An",
        "email": "",
        "role": "officer",
        "is_active": "on",
        "password1": "mat-khau-dai-1",
        "password2": "mat-khau-dai-1",
    }
    refused = client.post(reverse("programme:user_create"), data)
    assert refused.context["form"].errors["provinces"] == [
        "Cán bộ tỉnh cần ít nhất một tỉnh phụ trách."
    ]
    response = client.post(reverse("programme:user_create"), {**data, "provinces": [province_a.pk]})
    assert response.status_code == 302
    user = User.objects.get(username="canbo_tq")
    assert user.check_password("mat-khau-dai-1")
    assert list(OfficerAssignment.objects.filter(user=user).values_list("province", flat=True)) == [
        province_a.pk
    ]
    # Made a board member: the assignments go (the board sees every province).
    edit = {k: v for k, v in data.items() if not k.startswith("password")}
    client.post(reverse("programme:user_edit", args=[user.pk]), {**edit, "role": "board"})
    user.refresh_from_db()
    assert user.role == "board" and not user.assignments.exists()
    assert not user.is_staff
    # Made an administrator: the Django admin opens to them too.
    client.post(reverse("programme:user_edit", args=[user.pk]), {**edit, "role": "admin"})
    user.refresh_from_db()
    assert user.is_administrator and user.is_staff


def test_a_count_grouped_by_thousands_is_read_whole(client, officer_a):
    """Django's integer field reads "6.000" as 6; the page shows 6.000 for six thousand."""
    from common.fields import CountField

    field = CountField(required=False)
    assert [field.clean(v) for v in ("6000", "6.000", "6 000", "1.234.567", "")] == [
        6000,
        6000,
        6000,
        1234567,
        None,
    ]
    for bad in ("6,5", "6.00", "1.2345", "abc", "-3"):
        with pytest.raises(Exception, match="Hãy nhập một số nguyên"):
            field.clean(bad)


def test_percentages_typed_are_the_stored_fractions():
    from django.core.exceptions import ValidationError

    from common.fields import PercentField

    field = PercentField(required=False)
    assert field.clean("60") == Decimal("0.6000") and field.clean("60") * 5 == 3
    assert field.clean("62,5") == field.clean("62.5%") == Decimal("0.6250")
    assert field.clean("0") == Decimal("0") and field.clean("100") == Decimal("1")
    assert field.clean("") is None
    for bad, words in (
        ("101", "từ 0 đến 100"),
        ("-5", "Hãy nhập tỷ lệ"),
        ("1e2", "Hãy nhập tỷ lệ"),
        ("33,333", "tối đa 2 chữ số"),
    ):
        with pytest.raises(ValidationError, match=words):
            field.clean(bad)
    assert field.prepare_value(Decimal("0.6000")) == "60"
    assert field.prepare_value(Decimal("0.6250")) == "62,5"
