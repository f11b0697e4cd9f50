"""Cost growth of the compliance engine from scratch against one hand-written SQL statement, at
1x, 3x and 10x the 2018-2020 scale, on PostgreSQL.

For each scale, ``bench/generate.py --scale`` fills a database of its own, then
``bench/compliance_bench.py`` times ``compute()`` with no kept figures for the date (every club
counted) and the hand-written SQL, alternately, in the same process and session settings.
Prints one line per scale: clubs, members, both medians and their ratio.

    python bench/growth.py --server postgres://postgres@127.0.0.1:5432 --date 2026-06-30
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCALES = (("1x", 0.1), ("3x", 0.3), ("10x", 1.0))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--date", default="2026-06-30")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    lines = []
    for label, scale in SCALES:
        url = f"{args.server}/ishc_growth_{label}"
        subprocess.run(
            [sys.executable, str(ROOT / "bench/generate.py"), "--database-url", url]
            + ["--scale", str(scale)],
            check=True,
            capture_output=True,
        )
        out = subprocess.run(
            [sys.executable, str(ROOT / "bench/compliance_bench.py"), "--database-url", url]
            + ["--date", args.date, "--rounds", str(args.rounds)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        settings = re.search(r"session settings.*", out).group(0)
        clubs, members = re.search(r"(\d+) active clubs, (\d+) active members", out).groups()
        engine = float(re.search(r"compute\(\) national:\s+median ([\d.]+) s", out).group(1))
        sql = float(re.search(r"hand-written SQL:\s+median ([\d.]+) s", out).group(1))
        lines.append(
            f"{label:>4} {int(clubs):>7} {int(members):>9} {engine:>9.2f} s {sql:>7.2f} s "
            f"{engine / sql:>6.2f}x"
        )
    print(settings)
    print(f"{'data':>4} {'clubs':>7} {'members':>9} {'engine':>11} {'SQL':>9} {'ratio':>7}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
