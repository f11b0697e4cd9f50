"""Seed the club-life targets of 2021-2025.

Source: Decision 1336/QĐ-TTg (2020), §I.2 (targets): at least 70% of clubs carry out all the
activities and are well managed so that at least 50% of members can borrow ("ít nhất 70% CLB
thực hiện đủ các hoạt động và được quản lý tốt để có ít nhất 50% thành viên được vay vốn"), and
100% of clubs have an income-generation fund and an activity fund managed by the club itself.
"Well managed" is measured as at least 10 monthly meetings in the 12 months ending at M and both
funds reported (the rows' ``min_meetings`` and ``window_months``, which the administrator may
edit). The 1648 phases get no such rows: no clause of Decision 1648/QĐ-TTg setting them is cited
here. Reversing removes the rows.
"""

from decimal import Decimal

from django.db import migrations

ROWS = [
    {
        "code": "all_activities",
        "label": "Ít nhất 70% CLB thực hiện đủ các hoạt động và được quản lý tốt để có ít nhất "
        "50% thành viên được vay vốn",
        "metric": "all_activities_share",
        "value": Decimal("0.70"),
        "window_months": 12,
        "min_meetings": 10,
    },
    {
        "code": "revolving_fund",
        "label": "100% CLB có quỹ tạo thu nhập do CLB tự quản lý",
        "metric": "revolving_fund_share",
        "value": Decimal("1"),
    },
    {
        "code": "activity_fund",
        "label": "100% CLB có quỹ hoạt động do CLB tự quản lý",
        "metric": "activity_fund_share",
        "value": Decimal("1"),
    },
]


def seed(apps, schema_editor):
    Phase = apps.get_model("reporting", "Phase")
    Target = apps.get_model("reporting", "Target")
    phase = Phase.objects.filter(code="2021-2025").first()
    if phase is None:
        return
    last = Target.objects.filter(phase=phase).order_by("-order").first()
    order = (last.order if last else 0) + 1
    for i, row in enumerate(ROWS):
        if not Target.objects.filter(phase=phase, code=row["code"]).exists():
            Target.objects.create(phase=phase, comparison="gte", order=order + i, **row)


def unseed(apps, schema_editor):
    apps.get_model("reporting", "Target").objects.filter(
        phase__code="2021-2025", code__in=[r["code"] for r in ROWS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0015_club_life_targets")]
    operations = [migrations.RunPython(seed, unseed)]
