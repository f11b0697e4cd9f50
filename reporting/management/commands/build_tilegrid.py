"""Write the tile-grid map positions of both eras (``reporting/data/tilegrid_<era>.json``)
from the province centroids in ``clubs/data/units/provinces.csv`` (see ``reporting.maps``)."""

import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from reporting.maps import DATA_DIR, build_grid

SOURCE = Path(settings.BASE_DIR) / "clubs" / "data" / "units" / "provinces.csv"


def grids() -> dict[str, dict]:
    """The grid of each era, built from the committed centroids."""
    with open(SOURCE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {
        era: build_grid([r for r in rows if r["era"] == era], era)
        for era in ("pre2025", "post2025")
    }


class Command(BaseCommand):
    help = "Tính vị trí ô của từng tỉnh trên bản đồ ô (hai thời kỳ) từ toạ độ trung tâm tỉnh."

    def handle(self, *args, **options):
        DATA_DIR.mkdir(exist_ok=True)
        for era, grid in grids().items():
            path = DATA_DIR / f"tilegrid_{era}.json"
            path.write_text(json.dumps(grid, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            self.stdout.write(
                f"{path.name}: {len(grid['tiles'])} tỉnh, {grid['rows']}×{grid['cols']} ô"
            )
