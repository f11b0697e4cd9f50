"""The tile-grid map: committed positions, the snapping algorithm and the SVG."""

import json
import re
from fractions import Fraction

import pytest

from clubs.models import Province
from reporting import maps
from reporting.management.commands.build_tilegrid import grids


def test_committed_grids_are_what_the_command_builds():
    for era, grid in grids().items():
        committed = json.loads((maps.DATA_DIR / f"tilegrid_{era}.json").read_text("utf-8"))
        assert committed == grid


@pytest.mark.django_db
@pytest.mark.parametrize("era, count", [("pre2025", 63), ("post2025", 34)])
def test_every_province_of_the_era_has_its_own_cell(era, count):
    grid = maps.load_grid(era)
    codes = [t["code"] for t in grid["tiles"]]
    assert sorted(codes) == sorted(Province.objects.filter(era=era).values_list("code", flat=True))
    assert len(codes) == count
    cells = {(t["row"], t["col"]) for t in grid["tiles"]}
    assert len(cells) == count
    assert len({t["abbr"] for t in grid["tiles"]}) == count


def test_north_is_up_and_west_is_left():
    tiles = {t["name"]: t for t in maps.load_grid("pre2025")["tiles"]}
    assert tiles["Hà Giang"]["row"] < tiles["Hà Nội"]["row"] < tiles["Huế"]["row"]
    assert tiles["Huế"]["row"] < tiles["Hồ Chí Minh"]["row"] < tiles["Cà Mau"]["row"]
    assert tiles["Điện Biên"]["col"] < tiles["Hà Nội"]["col"] < tiles["Quảng Ninh"]["col"]


def test_collisions_go_to_the_nearest_free_cell_deterministically():
    # three points on one spot: the first in code order keeps the cell, the others go next to it
    step = 1.0
    points = [("03", 10.0, 100.0), ("01", 10.0, 100.0), ("02", 10.0, 100.0)]
    placed = maps.tile_positions(points, step)
    assert len(set(placed.values())) == 3
    assert placed["01"] != placed["02"]
    for code in ("02", "03"):
        r, c = placed[code]
        r0, c0 = placed["01"]
        assert abs(r - r0) + abs(c - c0) == 1  # an edge neighbour, not a corner
    assert maps.tile_positions(list(reversed(points)), step) == placed


def test_a_far_point_keeps_its_own_cell():
    placed = maps.tile_positions([("01", 20.0, 100.0), ("02", 10.0, 100.0)], 1.0)
    assert placed["02"][0] - placed["01"][0] == 10


@pytest.mark.parametrize(
    "share, step",
    [
        (Fraction(0), 0),
        (Fraction(19, 100), 0),
        (Fraction(1, 5), 1),
        (Fraction(79, 100), 3),
        (Fraction(4, 5), 4),
        (Fraction(1), 4),
        (None, None),
    ],
)
def test_colour_steps_are_twenty_points_wide(share, step):
    assert maps.colour_step(share) == step


def test_palette_gets_lighter_step_by_step_so_it_reads_in_grayscale():
    def luminance(hex_colour):
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b

    values = [luminance(fill) for fill, _ink in maps.PALETTE]
    assert values == sorted(values)
    assert min(b - a for a, b in zip(values, values[1:], strict=False)) > 20


def test_svg_links_colours_and_escapes():
    svg = maps.tile_map_svg(
        {"01": Fraction(2, 3), "79": None}, "post2025", lambda code: f"/p/{code}?a=1&b=2"
    )
    assert svg.count("<a ") == 34
    assert 'href="/p/01?a=1&amp;b=2"' in svg
    hanoi = re.search(r'data-province="01">(.*?)</a>', svg).group(1)
    assert 'fill="#21918c"' not in hanoi and 'fill="#5ec962"' in hanoi  # 66.7% → step 3
    assert "Hà Nội: 67%" in hanoi
    hcm = re.search(r'data-province="79">(.*?)</a>', svg).group(1)
    assert 'fill="#e5e7eb"' in hcm
    assert "style" not in svg
    plain = maps.tile_map_svg({}, "pre2025")
    assert "<a " not in plain and plain.count("<g data-province=") == 63
