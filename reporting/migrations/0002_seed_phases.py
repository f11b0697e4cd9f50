"""Seed the phases of the scheme with their targets and quality criteria (DESIGN §2).

Sources: Decision 1533/QĐ-TTg (2016) for 2016-2017 and 2018-2020 and the "2016 standard";
Decision 1336/QĐ-TTg (2020) for 2021-2025; Decision 1648/QĐ-TTg (2025) for 2025-2030 and
2030-2035, whose criteria start as a copy of the 1336 standard that the administrator may edit.
Reversing removes only what this migration created.
"""

import datetime
from decimal import Decimal

from django.db import migrations

STANDARD_2016 = [
    # code, label, metric, min_count, max_count, min_share, max_share, params
    ("older", "Người cao tuổi (từ 55 tuổi) ≥ 70%", "older", None, None, "0.70", None,
     {"age_threshold": 55}),
    ("women", "Nữ từ 60% đến 70%", "women", None, None, "0.60", "0.70", {}),
    ("poor", "Nghèo, cận nghèo, khó khăn từ 60% đến 70%", "poor", None, None, "0.60", "0.70", {}),
    ("borrowed", "Được vay vốn và cải thiện thu nhập ≥ 50%", "borrowed", None, None, "0.50", None,
     {"require_improved": True}),
    ("trained", "Được tập huấn và giám sát", "trained_monitored", None, None, None, None,
     {"monitoring_months": 12}),
]

STANDARD_1336 = [
    ("size", "Từ 50 đến 70 thành viên", "active_members", 50, 70, None, None, {}),
    ("women", "Nữ từ 60% đến 70%", "women", None, None, "0.60", "0.70", {}),
    ("older", "Người cao tuổi (từ 60 tuổi) từ 60% đến 70%", "older", None, None, "0.60", "0.70",
     {"age_threshold": 60}),
    ("borrowed", "Được vay vốn ≥ 50%", "borrowed", None, None, "0.50", None,
     {"require_improved": False}),
    ("trained", "Được tập huấn và giám sát", "trained_monitored", None, None, None, None,
     {"monitoring_months": 12}),
]

PHASES = [
    {
        "code": "2016-2017",
        "name": "Giai đoạn 2016–2017",
        "decision": "1533/QĐ-TTg",
        "starts_on": datetime.date(2016, 1, 1),
        "ends_on": datetime.date(2017, 12, 31),
        "criteria": STANDARD_2016,
        "targets": [
            ("clubs", "Khoảng 1.200 CLB", "cohort_clubs", "gte", "1200", None),
            ("provinces", "Ít nhất 20 tỉnh/thành phố", "cohort_provinces", "gte", "20", None),
            ("members", "Ít nhất 60.000 thành viên", "cohort_members", "gte", "60000", None),
            ("older_members", "Ít nhất 40.000 người cao tuổi", "cohort_older_members", "gte",
             "40000", 55),
            ("trained_monitored", "80% CLB được tập huấn, giám sát theo quy định",
             "trained_monitored_share", "gte", "0.80", None),
        ],
    },
    {
        "code": "2018-2020",
        "name": "Giai đoạn 2018–2020",
        "decision": "1533/QĐ-TTg",
        "starts_on": datetime.date(2018, 1, 1),
        "ends_on": datetime.date(2020, 12, 31),
        "criteria": STANDARD_2016,
        "targets": [
            ("clubs", "Khoảng 2.000 CLB", "cohort_clubs", "gte", "2000", None),
            ("provinces", "Ít nhất 45 tỉnh/thành phố", "cohort_provinces", "gte", "45", None),
            ("members", "Ít nhất 100.000 thành viên", "cohort_members", "gte", "100000", None),
            ("older_members", "Ít nhất 65.000 người cao tuổi", "cohort_older_members", "gte",
             "65000", 55),
            ("trained_monitored", "80% CLB được tập huấn, giám sát theo quy định",
             "trained_monitored_share", "gte", "0.80", None),
        ],
    },
    {
        "code": "2021-2025",
        "name": "Giai đoạn 2021–2025",
        "decision": "1336/QĐ-TTg",
        "starts_on": datetime.date(2021, 1, 1),
        "ends_on": datetime.date(2025, 12, 31),
        "criteria": STANDARD_1336,
        "targets": [
            ("clubs", "Thành lập mới ít nhất 3.000 CLB", "cohort_clubs", "gte", "3000", None),
            ("members", "Ít nhất 150.000 thành viên", "cohort_members", "gte", "150000", None),
            ("older_members", "Trên 100.000 người cao tuổi", "cohort_older_members", "gt",
             "100000", 60),
            ("province_share", "Ít nhất 95% tỉnh/thành phố có CLB", "province_share", "gte",
             "0.95", None),
            ("earlier_active", "100% CLB đã thành lập duy trì hoạt động", "earlier_clubs_active",
             "gte", "1", None),
        ],
    },
    {
        "code": "2025-2030",
        "name": "Giai đoạn 2025–2030",
        "decision": "1648/QĐ-TTg",
        "starts_on": datetime.date(2025, 8, 1),
        "ends_on": datetime.date(2030, 12, 31),
        "criteria": STANDARD_1336,
        "targets": [
            ("clubs", "Thành lập mới ít nhất 6.000 CLB", "cohort_clubs", "gte", "6000", None),
            ("earlier_active", "100% CLB đã thành lập duy trì hoạt động", "earlier_clubs_active",
             "gte", "1", None),
        ],
    },
    {
        "code": "2030-2035",
        "name": "Giai đoạn 2031–2035",
        "decision": "1648/QĐ-TTg",
        "starts_on": datetime.date(2031, 1, 1),
        "ends_on": datetime.date(2035, 12, 31),
        "criteria": STANDARD_1336,
        "targets": [
            ("clubs", "Thành lập mới ít nhất 6.000 CLB (12.000 CLB giai đoạn 2025–2035)",
             "cohort_clubs", "gte", "6000", None),
            ("earlier_active", "100% CLB đã thành lập duy trì hoạt động", "earlier_clubs_active",
             "gte", "1", None),
        ],
    },
]


def seed(apps, schema_editor):
    Phase = apps.get_model("reporting", "Phase")
    Criterion = apps.get_model("reporting", "Criterion")
    Target = apps.get_model("reporting", "Target")
    for spec in PHASES:
        phase, created = Phase.objects.get_or_create(
            code=spec["code"],
            defaults={k: spec[k] for k in ("name", "decision", "starts_on", "ends_on")},
        )
        if not created:
            continue
        for order, (code, label, metric, min_c, max_c, min_s, max_s, params) in enumerate(
            spec["criteria"]
        ):
            Criterion.objects.create(
                phase=phase,
                code=code,
                label=label,
                metric=metric,
                min_count=min_c,
                max_count=max_c,
                min_share=Decimal(min_s) if min_s else None,
                max_share=Decimal(max_s) if max_s else None,
                order=order,
                **params,
            )
        for order, (code, label, metric, cmp, value, age) in enumerate(spec["targets"]):
            Target.objects.create(
                phase=phase,
                code=code,
                label=label,
                metric=metric,
                comparison=cmp,
                value=Decimal(value),
                age_threshold=age,
                order=order,
            )


def unseed(apps, schema_editor):
    apps.get_model("reporting", "Phase").objects.filter(
        code__in=[p["code"] for p in PHASES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
