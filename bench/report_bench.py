"""Benchmark of the PDF phase reports at 10x the 2018–2020 scale.

Measures, on the database made by ``bench/generate.py`` (read only: nothing is written):

- the national report: the compliance computation alone (the baseline, ``compute``), then the
  whole report (compute + HTML + WeasyPrint layout + PDF), with pages and size;
- the largest province report (the province with the most active clubs at the date): the same
  two times, then the peak Python memory of the whole report (``tracemalloc``, in a separate
  pass since tracing slows the run) and the process's peak resident size.

Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ishc_bench SECRET_KEY=bench \\
        python bench/report_bench.py [--phase 2018-2020] [--date 2020-12-31] [--output-dir DIR]
"""

import argparse
import datetime
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(function):
    started = time.perf_counter()
    value = function()
    return value, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", default="2018-2020")
    parser.add_argument("--date", default="2020-12-31")
    parser.add_argument("--output-dir", help="also write the two PDFs into this folder")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    from reporting.compliance import compute
    from reporting.pdf import render_report

    as_of = datetime.date.fromisoformat(args.date)
    print(f"database {connection.settings_dict['NAME']}, phase {args.phase}, as of {as_of}")

    compute(as_of, phase=args.phase)  # warm the database's caches: both timings start warm
    national, base = timed(lambda: compute(as_of, phase=args.phase))
    report, total = timed(lambda: render_report(args.phase, as_of))
    if args.output_dir:
        Path(args.output_dir).mkdir(parents=True, exist_ok=True)
        (Path(args.output_dir) / "national.pdf").write_bytes(report.content)
    print(
        f"national: {national.national.active_clubs} clubs, {len(national.provinces)} provinces;"
        f" compute {base:.2f} s; report {total:.2f} s ({total / base:.1f}x compute);"
        f" {report.pages} pages, {len(report.content) / 1024:.0f} KiB"
    )

    largest = max(national.provinces, key=lambda p: p.active_clubs)
    from clubs.models import Province

    province = Province.objects.get(pk=largest.province_id)
    _, base = timed(lambda: compute(as_of, phase=args.phase, province=province))
    report, total = timed(lambda: render_report(args.phase, as_of, province))
    if args.output_dir:
        (Path(args.output_dir) / f"province-{province.code}.pdf").write_bytes(report.content)
    tracemalloc.start()
    render_report(args.phase, as_of, province)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"largest province {province.code} {province.short_name}: {largest.active_clubs} clubs;"
        f" compute {base:.2f} s; report {total:.2f} s ({total / base:.1f}x compute);"
        f" {report.pages} pages, {len(report.content) / 1024:.0f} KiB;"
        f" peak Python memory {peak / 2**20:.0f} MiB (tracemalloc), process peak RSS"
        f" {max_rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
