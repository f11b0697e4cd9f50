"""Seed the target "new clubs still active" of 2021-2025.

Source: Decision 1336/QĐ-TTg (2020), §I.2 (targets): maintain 100% of the clubs built in
2016–2020 and of the clubs newly built. The 1648 phases get no such row: Decision 1648/QĐ-TTg
sets only that earlier clubs stay active. Measured over the phase's clubs (by founding date)
founded on or before M; the numerator counts those still active at M. Reversing removes the row.
"""

from decimal import Decimal

from django.db import migrations

CODE = "new_active"


def seed(apps, schema_editor):
    Phase = apps.get_model("reporting", "Phase")
    Target = apps.get_model("reporting", "Target")
    phase = Phase.objects.filter(code="2021-2025").first()
    if phase is None or Target.objects.filter(phase=phase, code=CODE).exists():
        return
    earlier = Target.objects.filter(phase=phase, code="earlier_active").first()
    Target.objects.create(
        phase=phase,
        code=CODE,
        label="100% CLB thành lập mới duy trì hoạt động",
        metric="new_clubs_active",
        comparison="gte",
        value=Decimal("1"),
        order=(earlier.order + 1) if earlier else 10,
    )


def unseed(apps, schema_editor):
    apps.get_model("reporting", "Target").objects.filter(
        phase__code="2021-2025", code=CODE
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0006_new_clubs_active_metric")]
    operations = [migrations.RunPython(seed, unseed)]
