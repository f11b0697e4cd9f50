"""A tile-grid map of the provinces, drawn as SVG on the server.

Openly licensed province polygons are hard to come by, so each province is one equal square
placed near its geographic position: small delta provinces stay as visible as the large
mountain ones, and no licence is in doubt. The positions are data committed for both eras
(``reporting/data/tilegrid_<era>.json``), produced from the province centroids
(``clubs/data/units/provinces.csv``, ``Province.latitude/longitude``) by :func:`tile_positions`
through ``python manage.py build_tilegrid``.

The dashboards and the PDF reports draw the map with :func:`tile_map_svg`.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Callable, Iterable
from fractions import Fraction
from functools import cache
from pathlib import Path

from django.utils.html import escape
from django.utils.translation import gettext as _

from common.formats import percent

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Grid step in degrees of latitude; longitude is scaled by cos(16°N) so that cells are square
#: on the ground. 0.62° gives 25 rows for the length of the country.
GRID_STEP = {"pre2025": 0.62, "post2025": 0.75}
MID_LATITUDE = 16.0

#: Five steps of the viridis palette (colour-blind safe, monotonic in lightness so that the
#: steps also read in grayscale), with the text colour that contrasts with each.
PALETTE = [
    ("#440154", "#ffffff"),
    ("#3b528b", "#ffffff"),
    ("#21918c", "#ffffff"),
    ("#5ec962", "#000000"),
    ("#fde725", "#000000"),
]
NO_DATA = ("#e5e7eb", "#374151")


# --------------------------------------------------------------------------- positions


def tile_positions(points: Iterable[tuple[str, float, float]], step: float) -> dict[str, tuple]:
    """Snap each ``(code, latitude, longitude)`` to a square grid and resolve collisions.

    Each point goes to the cell nearest its position (``step`` degrees of latitude per cell,
    longitude scaled by cos(16°)). Points are placed in code order; a point whose cell is taken
    goes to the nearest free cell (Euclidean distance from its exact position, ties broken by
    row then column), so the result is deterministic. Returns ``{code: (row, col)}`` with the
    smallest row and column at 0 (row 0 is the north).
    """
    scale = math.cos(math.radians(MID_LATITUDE))
    exact = {code: (-lat / step, lon * scale / step) for code, lat, lon in points}
    taken: dict[tuple[int, int], str] = {}
    placed: dict[str, tuple[int, int]] = {}
    for code in sorted(exact):
        y, x = exact[code]
        cy, cx = round(y), round(x)
        radius = 0
        while True:
            free = [
                ((r - y) ** 2 + (c - x) ** 2, (r, c))
                for r in range(cy - radius, cy + radius + 1)
                for c in range(cx - radius, cx + radius + 1)
                if (r, c) not in taken
            ]
            # a cell outside this square is at least radius + 0.5 away
            if free and min(free)[0] <= (radius + 0.5) ** 2:
                break
            radius += 1
        best = min(free)[1]
        taken[best] = code
        placed[code] = best
    top = min(r for r, _c in placed.values())
    left = min(c for _r, c in placed.values())
    return {code: (r - top, c - left) for code, (r, c) in placed.items()}


def abbreviation(short_name: str) -> str:
    """Initials without diacritics (``"Hồ Chí Minh"`` → ``"HCM"``, ``"Huế"`` → ``"HUE"``)."""
    plain = unicodedata.normalize("NFD", short_name.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    words = [w for w in plain.replace("-", " ").split() if w]
    if len(words) == 1:
        return words[0][:3].upper()
    return "".join(w[0] for w in words).upper()


def build_grid(provinces: list[dict], era: str) -> dict:
    """The committed grid for one era from rows with ``code``, ``short_name``, ``latitude``,
    ``longitude``: ``{"era", "rows", "cols", "tiles": [{code, name, abbr, row, col}]}``.
    Abbreviations that would repeat get the second letter of their last word."""
    positions = tile_positions(
        ((p["code"], float(p["latitude"]), float(p["longitude"])) for p in provinces),
        GRID_STEP[era],
    )
    abbrs: dict[str, str] = {}
    for p in sorted(provinces, key=lambda p: p["code"]):
        abbr = abbreviation(p["short_name"])
        if abbr in abbrs.values():
            abbr = abbr + abbreviation(p["short_name"].split()[-1])[1:2].lower()
        abbrs[p["code"]] = abbr
    tiles = [
        {
            "code": p["code"],
            "name": p["short_name"],
            "abbr": abbrs[p["code"]],
            "row": positions[p["code"]][0],
            "col": positions[p["code"]][1],
        }
        for p in sorted(provinces, key=lambda p: p["code"])
    ]
    return {
        "era": era,
        "rows": max(t["row"] for t in tiles) + 1,
        "cols": max(t["col"] for t in tiles) + 1,
        "tiles": tiles,
    }


@cache
def load_grid(era: str) -> dict:
    """The committed grid of ``era`` (``"pre2025"`` or ``"post2025"``)."""
    with open(DATA_DIR / f"tilegrid_{era}.json", encoding="utf-8") as f:
        return json.load(f)


# --------------------------------------------------------------------------- drawing


def colour_step(value: Fraction | None) -> int | None:
    """The palette step of a share: 0 for [0, 20%), 1 for [20, 40%) … 4 for [80, 100%]."""
    if value is None:
        return None
    return min(4, max(0, math.floor(value * 5)))


def tile_map_svg(
    values: dict[str, Fraction | None],
    era: str,
    link: Callable[[str], str] | None = None,
    *,
    title: str | None = None,
    cell: int = 34,
) -> str:
    """The tile-grid map as an SVG string (safe to mark safe: every text is escaped).

    ``values`` maps a province code of ``era`` to its compliant share (a ``Fraction`` in
    0..1) or ``None`` (no active club); a province missing from ``values`` is drawn as "no
    data". ``link(code)`` gives each tile's URL (``None``: tiles are not links). ``cell`` is
    the tile size in SVG units. The legend (five 20-point steps of viridis and "no data") is
    drawn below the grid. No inline style is used, so a strict Content-Security-Policy holds.
    """
    grid = load_grid(era)
    gap = 3
    legend_h = 56
    width = max(grid["cols"] * cell, 5 * 52 + 120)
    height = grid["rows"] * cell + legend_h
    title = title or _("Bản đồ ô: tỷ lệ CLB đạt chuẩn theo tỉnh")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="tilemap" role="group" aria-labelledby="tilemap-title-{era}" '
        f'font-family="sans-serif">',
        f'<title id="tilemap-title-{era}">{escape(title)}</title>',
    ]
    for tile in grid["tiles"]:
        code = tile["code"]
        value = values.get(code)
        step = colour_step(value)
        fill, ink = NO_DATA if step is None else PALETTE[step]
        shown = percent(value, 0) if value is not None else _("không có CLB")
        x, y = tile["col"] * cell, tile["row"] * cell
        size = cell - gap
        label = f"{tile['name']}: {shown}"
        # The abbreviation and the share are one text (the share a second line), so that the
        # link's name can start from what is seen ("HN 45%"; WCAG 2.5.3, label in name).
        seen = percent(value, 0) if value is not None else "–"
        if value is not None:
            name = f"{tile['name']}, {tile['abbr']} {seen}"
        else:
            name = f"{tile['name']}, {tile['abbr']}: {shown}"
        cx = x + size / 2
        body = (
            f"<title>{escape(label)}</title>"
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="3" fill="{fill}"'
            f' stroke="#1f2937" stroke-width="0.6"/>'
            f'<text x="{cx}" y="{y + size * 0.45}" text-anchor="middle" '
            f'font-size="{cell * 0.3:.1f}" font-weight="700" fill="{ink}">'
            f"{escape(tile['abbr'])}"
            f'<tspan x="{cx}" y="{y + size * 0.82}" font-size="{cell * 0.26:.1f}" '
            f'font-weight="400"> {escape(seen)}</tspan></text>'
        )
        if link is not None:
            out.append(
                f'<a href="{escape(link(code))}" aria-label="{escape(name)}" '
                f'data-province="{escape(code)}">{body}</a>'
            )
        else:
            out.append(f'<g data-province="{escape(code)}">{body}</g>')
    # legend
    ly = grid["rows"] * cell + 8
    out.append(
        f'<text x="0" y="{ly + 10}" font-size="11" fill="#111827">'
        f"{escape(_('Tỷ lệ CLB đạt chuẩn'))}</text>"
    )
    for i, (fill, _ink) in enumerate(PALETTE):
        lx = i * 52
        out.append(
            f'<rect x="{lx}" y="{ly + 16}" width="50" height="14" fill="{fill}"'
            f' stroke="#1f2937" stroke-width="0.6"/>'
            f'<text x="{lx}" y="{ly + 44}" font-size="10" fill="#111827">'
            f"{i * 20}–{(i + 1) * 20}%</text>"
        )
    nx = 5 * 52 + 8
    out.append(
        f'<rect x="{nx}" y="{ly + 16}" width="20" height="14" fill="{NO_DATA[0]}"'
        f' stroke="#1f2937" stroke-width="0.6"/>'
        f'<text x="{nx + 24}" y="{ly + 27}" font-size="10" fill="#111827">'
        f"{escape(_('không có CLB'))}</text>"
    )
    out.append("</svg>")
    return "".join(out)
