"""Benchmark of the PDF phase reports at 10x the 2018–2020 scale.

Measures, on a copy of the database made by ``bench/generate.py`` (a render writes the kept
club figures and the report's frozen figures, ``reporting.snapshots``):

- the national report: the compliance computation alone (``compute``), then the whole report
  (compute, frozen figures, HTML, WeasyPrint layout, PDF, annex .xlsx), with pages and size;
- the largest province report (the province with the most active clubs at the date): the same.

Each report is rendered in a fresh process of its own, so that its peak resident size
(``ru_maxrss``) is its own, after one computation that warms the database's caches, ``--repeat``
times (default 3; the fastest render is the figure, the machine being shared); a second
fresh process of each measures the peak Python memory (``tracemalloc``, which slows the run).
The largest province's PDF is read back (``pdftotext``) to check that its annex lists every
active club, and its .xlsx annex to check that it holds a row for each.

Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<copy of the 10x db> SECRET_KEY=bench \\
        python bench/report_bench.py [--phase 2018-2020] [--date 2020-12-31] [--output-dir DIR]
"""

import argparse
import datetime
import io
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(function):
    started = time.perf_counter()
    value = function()
    return value, time.perf_counter() - started


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def child(args) -> dict:
    """One report in this process: ``--child national`` or ``--child <province id>``."""
    setup()
    from clubs.models import Province
    from reporting.compliance import compute
    from reporting.pdf import render_report

    as_of = datetime.date.fromisoformat(args.date)
    province = None if args.child == "national" else Province.objects.get(pk=int(args.child))
    if args.trace:
        tracemalloc.start()
        render_report(args.phase, as_of, province)
        _, peak = tracemalloc.get_traced_memory()
        return {"traced_mib": peak / 2**20}
    compute(as_of, phase=args.phase, province=province)  # warm the database's caches
    report, base = timed(lambda: compute(as_of, phase=args.phase, province=province))
    times = []
    for _ in range(args.repeat):
        rendered, total = timed(lambda: render_report(args.phase, as_of, province))
        times.append(total)
    out = {
        "clubs": report.national.active_clubs,
        "compute_s": base,
        "report_s": min(times),
        "first_s": times[0],
        "pages": rendered.pages,
        "kib": len(rendered.content) / 1024,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "code": rendered.snapshot.code,
    }
    if province is not None:
        codes = [c.code for c in report.clubs]
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=rendered.content, capture_output=True, check=True
        ).stdout.decode()
        words = set(text.split())
        out["clubs_listed"] = sum(code in words for code in codes)
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_filelike(io.BytesIO(rendered.annex)).get_sheet_by_index(0)
        rows = sheet.to_python()[1:]
        out["annex_rows"] = len(rows)
        out["annex_all_clubs"] = sorted(str(r[0]) for r in rows) == sorted(codes)
    if args.output_dir:
        name = "national" if province is None else f"province-{province.code}"
        Path(args.output_dir).mkdir(parents=True, exist_ok=True)
        (Path(args.output_dir) / f"{name}.pdf").write_bytes(rendered.content)
        if rendered.annex:
            (Path(args.output_dir) / f"{name}.xlsx").write_bytes(rendered.annex)
    return out


def run_child(args, which: str, trace: bool = False) -> dict:
    command = [sys.executable, __file__, "--phase", args.phase, "--date", args.date]
    command += ["--child", which, "--repeat", str(args.repeat)] + (["--trace"] if trace else [])
    if args.output_dir and not trace:
        command += ["--output-dir", args.output_dir]
    result = subprocess.run(command, capture_output=True, check=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", default="2018-2020")
    parser.add_argument("--date", default="2020-12-31")
    parser.add_argument("--output-dir", help="also write the PDFs and annexes into this folder")
    parser.add_argument(
        "--repeat", type=int, default=3, help="renders of each report; the fastest is shown"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return

    setup()
    from django.db import connection

    from clubs.models import Province
    from reporting.compliance import compute

    as_of = datetime.date.fromisoformat(args.date)
    print(f"database {connection.settings_dict['NAME']}, phase {args.phase}, as of {as_of}")
    national = compute(as_of, phase=args.phase, details=False)
    largest = max(national.provinces, key=lambda p: p.active_clubs)
    province = Province.objects.get(pk=largest.province_id)
    connection.close()

    n = run_child(args, "national")
    n.update(run_child(args, "national", trace=True))
    p = run_child(args, str(province.pk))
    p.update(run_child(args, str(province.pk), trace=True))
    for name, r in (("national", n), (f"province {province.code} {province.short_name}", p)):
        print(
            f"{name}: {r['clubs']} clubs; compute {r['compute_s']:.2f} s; report"
            f" {r['report_s']:.2f} s (fastest of {args.repeat}; first {r['first_s']:.2f} s);"
            f" {r['pages']} pages, {r['kib']:.0f} KiB; peak RSS"
            f" {r['rss_mib']:.0f} MiB; peak Python memory {r['traced_mib']:.0f} MiB"
            f" (tracemalloc); code {r['code']}"
        )
    print(
        f"largest province / national wall time: {p['report_s'] / n['report_s']:.2f}x;"
        f" annex lists {p['clubs_listed']} of {p['clubs']} clubs in the PDF,"
        f" {p['annex_rows']} rows in the .xlsx (every club: {p['annex_all_clubs']})"
    )


if __name__ == "__main__":
    main()
