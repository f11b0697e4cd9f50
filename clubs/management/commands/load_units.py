"""``python manage.py load_units``: load Vietnam's administrative units of both eras.

Reads the CSV files in ``clubs/data/units/`` (extracted from the MIT-licensed package
``vietnamadminunits`` 1.0.4; see the README there). Idempotent: units are matched on
(era, code), so loading twice changes nothing; a changed name or link is updated in place.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from clubs.models import Commune, CommuneSuccession, District, Era, Province
from common.signals import send_data_changed

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "units"


def _rows(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _coord(value):
    return Decimal(value) if value else None


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính của hai thời kỳ (63 tỉnh và 34 tỉnh)."

    @transaction.atomic
    def handle(self, *args, **options):
        created = {"province": 0, "district": 0, "commune": 0, "succession": 0}

        # Provinces: new era first, so that old provinces can link to their successor.
        province_rows = list(_rows("provinces.csv"))
        existing = {(p.era, p.code): p for p in Province.objects.all()}
        for era in (Era.POST2025, Era.PRE2025):
            for row in (r for r in province_rows if r["era"] == era):
                successor = (
                    existing[(Era.POST2025, row["successor_code"])]
                    if (era == Era.PRE2025)
                    else None
                )
                values = {
                    "name": row["name"],
                    "short_name": row["short_name"],
                    "successor": successor,
                    "latitude": _coord(row["latitude"]),
                    "longitude": _coord(row["longitude"]),
                }
                province = existing.get((era, row["code"]))
                if province is None:
                    province = Province.objects.create(era=era, code=row["code"], **values)
                    existing[(era, row["code"])] = province
                    created["province"] += 1
                elif any(getattr(province, k) != v for k, v in values.items()):
                    for key, value in values.items():
                        setattr(province, key, value)
                    province.save()
        province_id = {key: p.pk for key, p in existing.items()}

        # Districts (old era only).
        districts = {d.code: d for d in District.objects.all()}
        new_districts = []
        for row in _rows("districts.csv"):
            pid = province_id[(Era.PRE2025, row["province_code"])]
            district = districts.get(row["code"])
            if district is None:
                new_districts.append(District(code=row["code"], name=row["name"], province_id=pid))
            elif (district.name, district.province_id) != (row["name"], pid):
                district.name, district.province_id = row["name"], pid
                district.save()
        District.objects.bulk_create(new_districts, batch_size=1000)
        created["district"] = len(new_districts)
        district_id = dict(District.objects.values_list("code", "pk"))

        # Communes.
        communes = {(c.era, c.code): c for c in Commune.objects.all()}
        new_communes, changed = [], []
        fields = ("name", "province_id", "district_id", "latitude", "longitude")
        for row in _rows("communes.csv"):
            values = {
                "name": row["name"],
                "province_id": province_id[(row["era"], row["province_code"])],
                "district_id": district_id[row["district_code"]] if row["district_code"] else None,
                "latitude": _coord(row["latitude"]),
                "longitude": _coord(row["longitude"]),
            }
            commune = communes.get((row["era"], row["code"]))
            if commune is None:
                new_communes.append(Commune(era=row["era"], code=row["code"], **values))
            elif any(getattr(commune, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(commune, key, value)
                changed.append(commune)
        Commune.objects.bulk_create(new_communes, batch_size=2000)
        Commune.objects.bulk_update(changed, fields, batch_size=2000)
        created["commune"] = len(new_communes)
        commune_id = {
            (era, code): pk for era, code, pk in Commune.objects.values_list("era", "code", "pk")
        }

        # Successions: old commune -> new commune(s).
        wanted = {}
        for row in _rows("commune_successions.csv"):
            key = (
                commune_id[(Era.PRE2025, row["old_code"])],
                commune_id[(Era.POST2025, row["new_code"])],
            )
            wanted[key] = row["is_default"] == "1"
        have = {(s.old_id, s.new_id): s for s in CommuneSuccession.objects.all()}
        new_links = [
            CommuneSuccession(old_id=o, new_id=n, is_default=d)
            for (o, n), d in wanted.items()
            if (o, n) not in have
        ]
        CommuneSuccession.objects.bulk_create(new_links, batch_size=2000)
        relinked = [s for key, s in have.items() if key in wanted and s.is_default != wanted[key]]
        for link in relinked:
            link.is_default = wanted[(link.old_id, link.new_id)]
        CommuneSuccession.objects.bulk_update(relinked, ["is_default"])
        stale = [s.pk for key, s in have.items() if key not in wanted]
        CommuneSuccession.objects.filter(pk__in=stale).delete()
        created["succession"] = len(new_links)
        if any(created.values()) or changed or relinked or stale:
            send_data_changed(Province)

        counts = {
            "pre2025": (
                Province.objects.filter(era=Era.PRE2025).count(),
                District.objects.count(),
                Commune.objects.filter(era=Era.PRE2025).count(),
            ),
            "post2025": (
                Province.objects.filter(era=Era.POST2025).count(),
                Commune.objects.filter(era=Era.POST2025).count(),
            ),
        }
        self.stdout.write(
            "Trước 01/07/2025: {} tỉnh, {} huyện, {} xã; từ 01/07/2025: {} tỉnh, {} xã. "
            "Mới nạp: {} tỉnh, {} huyện, {} xã, {} liên kết xã cũ–mới.".format(
                *counts["pre2025"],
                *counts["post2025"],
                created["province"],
                created["district"],
                created["commune"],
                created["succession"],
            )
        )
