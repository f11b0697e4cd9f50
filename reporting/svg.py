"""Charts for the PDF reports, drawn on the server as SVG strings (WeasyPrint runs no
JavaScript). Each function takes rows already computed by ``reporting.compliance`` and returns a
complete ``<svg>`` element; labels are escaped. Shares are ``Fraction`` values (1 = 100%).
"""

from __future__ import annotations

from fractions import Fraction
from xml.sax.saxutils import escape

from common.formats import percent

FONT = "Tinos, serif"
ACTUAL = "#1f5fa8"
MET = "#2e7d32"
SHORT = "#c62828"
GRID = "#9e9e9e"


def _text(x, y, label, *, anchor="start", size=11, weight="normal", fill="#000"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'font-weight="{weight}" text-anchor="{anchor}" fill="{fill}">{escape(str(label))}</text>'
    )


def wrap_label(label: str, width: int, size: int = 10, lines: int = 2) -> list[str]:
    """Split ``label`` into at most ``lines`` lines of about ``width`` pixels at font ``size``
    (an average glyph is taken as 0.55 em); the last line ends with "…" when cut."""
    per_line = max(int(width / (size * 0.55)), 4)
    words, out, current = label.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= per_line or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: per_line - 1].rstrip() + "…"
    return [line if len(line) <= per_line else line[: per_line - 1] + "…" for line in out]


def share_bars(
    rows: list[tuple[str, Fraction | None, bool | None]],
    *,
    threshold: Fraction | None = None,
    threshold_label: str = "",
    scale_max: Fraction = Fraction(1),
    width: int = 640,
    label_width: int = 230,
    bar_height: int = 16,
    gap: int = 8,
) -> str:
    """Horizontal bars, one per ``(label, share, ok)`` row, from 0 to ``scale_max`` (default
    100%, widened to the largest share), with the share written at the end of each bar and an
    optional dashed ``threshold`` line (e.g. the 80% trained-and-monitored indicator, or 100% of
    a target). ``ok`` colours the bar: ``True`` green (met), ``False`` red, ``None`` blue."""
    top = 22
    gap = max(gap, 12) if bar_height >= 14 else gap
    plot_left = label_width
    plot_width = width - label_width - 60
    height = top + len(rows) * (bar_height + gap) + 8
    scale_max = max(
        scale_max, *(row[1] for row in rows if row[1] is not None), threshold or 0, Fraction(1)
    )

    def x_of(share):
        return plot_left + float(Fraction(share) / scale_max) * plot_width

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">'
    ]
    for tick in range(0, 101, 25):
        share = Fraction(tick, 100)
        if share > scale_max:
            break
        x = x_of(share)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 4}" '
            f'stroke="{GRID}" stroke-width="0.4"/>'
        )
        parts.append(_text(x, top - 8, f"{tick}%", anchor="middle", size=11, fill="#555"))
    # Text is centred on its bar and never taller than the bar's band (the bar and half the gap
    # on each side), so a label or a value never runs over the bar of the row above or below.
    # (12 px is 8,8 pt once the 640 px chart fills the text width.)
    size = min(12, bar_height + gap // 2)
    step = size + 1
    for i, (label, share, ok) in enumerate(rows):
        y = top + i * (bar_height + gap)
        middle = y + bar_height / 2 + size * 0.35
        lines = wrap_label(label, label_width - 10, size=size, lines=2 if bar_height >= 14 else 1)
        first = middle - (len(lines) - 1) * step / 2
        for n, line in enumerate(lines):
            parts.append(_text(plot_left - 6, first + n * step, line, anchor="end", size=size))
        if share is None:
            parts.append(_text(plot_left + 4, middle, "—", size=size))
            continue
        colour = ACTUAL if ok is None else MET if ok else SHORT
        bar = max(x_of(share) - plot_left, 0.0)
        parts.append(
            f'<rect x="{plot_left}" y="{y}" width="{bar:.1f}" height="{bar_height}" '
            f'fill="{colour}"/>'
        )
        value = percent(share)
        value_x = plot_left + bar + 4
        if threshold is not None:
            # A value whose text would cross the threshold's dashed line goes after it.
            line_x = x_of(threshold)
            if value_x - 4 <= line_x <= value_x + len(value) * size * 0.55:
                value_x = line_x + 4
        parts.append(_text(value_x, middle, value, size=size))
    if threshold is not None:
        x = x_of(threshold)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 4}" '
            f'stroke="#000" stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
        if threshold_label:
            parts.append(
                _text(x - 3, height - 4, threshold_label, anchor="end", size=11, weight="bold")
            )
    parts.append("</svg>")
    return "".join(parts)


def target_bars(rows: list[tuple[str, Fraction, bool]], **kwargs) -> str:
    """Targets against actuals: one bar per ``(label, reached, met)`` row, where ``reached`` is
    actual ÷ target (``TargetResult.reached``); a dashed line marks 100% of the target, green
    bars are met and red ones are not."""
    return share_bars(rows, threshold=Fraction(1), **kwargs)
