"""Extract Vietnam's administrative units (both eras) into plain CSV files.

Source: the PyPI package ``vietnamadminunits`` version 1.0.4
(https://pypi.org/project/vietnamadminunits/), MIT licence,
Copyright (c) 2025 Tran Ngoc Minh Hieu -- see LICENSE in this folder.

Inputs (from the package's ``data`` folder):

* ``dataset.db`` (SQLite)
  - table ``admin_units_legacy``: the pre-2025 era (63 provinces, 696 districts,
    10,035 communes as on 30 June 2025; 5 island districts have no commune);
  - table ``admin_units``: the post-2025 era (from 1 July 2025: 34 provinces,
    3,321 communes, no district level).
* ``converter_2025.json``: the old -> new conversion tables, keyed exactly as
  ``vietnamadminunits/converter/converter_2025.py`` uses them:
  - ``DICT_PROVINCE``: new provinceKey -> [old provinceKey, ...]
  - ``DICT_PROVINCE_WARD_NO_DIVIDED``: new provinceKey -> new wardKey ->
    ["<old provinceKey>_<old districtKey>_<old wardKey>", ...]
  - ``DICT_PROVINCE_WARD_DIVIDED``: new provinceKey -> old full key ->
    [{"newWardKey", "isDefaultNewWard", ...}, ...] (old communes split
    across several new communes).

Outputs (written next to this script, UTF-8, header row, ``\\n`` line endings,
sorted by code): provinces.csv, districts.csv, communes.csv,
commune_successions.csv.  Consistency checks are printed to stderr; the
script exits with status 1 if an old key or new key cannot be matched.

Rerun from the project root:

    pip install vietnamadminunits==1.0.4 && python clubs/data/units/extract.py

or point it at an unpacked copy of the package's data folder:

    python clubs/data/units/extract.py path/to/vietnamadminunits/data
"""

import csv
import json
import sqlite3
import sys
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent
PRE, POST = "pre2025", "post2025"


def data_dir_from_args(argv):
    if len(argv) > 1:
        return Path(argv[1])
    # Locate the installed package's data folder from its __file__ without
    # executing vietnamadminunits/__init__.py (which pulls in shapely, pandas...).
    import importlib.util

    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.origin:
        sys.exit("vietnamadminunits is not installed; pass the data folder as an argument")
    return Path(spec.origin).resolve().parent / "data"


def rnd(value):
    return "" if value is None else f"{round(float(value), 5):.5f}".rstrip("0").rstrip(".")


def write_csv(name, header, rows):
    with open(OUT_DIR / name, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {name}: {len(rows)} rows", file=sys.stderr)


def main(argv):
    data_dir = data_dir_from_args(argv)
    db = sqlite3.connect(data_dir / "dataset.db")
    db.row_factory = sqlite3.Row
    with open(data_dir / "converter_2025.json", encoding="utf-8") as fh:
        conv = json.load(fh)
    problems = []

    legacy = db.execute("SELECT * FROM admin_units_legacy").fetchall()
    current = db.execute("SELECT * FROM admin_units").fetchall()

    # --- provinces -------------------------------------------------------
    new_prov_by_key = {}  # new provinceKey -> code
    old_prov_by_key = {}  # old provinceKey -> code
    prov_rows = {}
    for era, rows, by_key in ((PRE, legacy, old_prov_by_key), (POST, current, new_prov_by_key)):
        for r in rows:
            by_key[r["provinceKey"]] = r["provinceCode"]
            prov_rows[(era, r["provinceCode"])] = [
                era,
                r["provinceCode"],
                r["province"],
                r["provinceShort"],
                "",
                rnd(r["provinceLat"]),
                rnd(r["provinceLon"]),
            ]
    successor = {}  # old province code -> new province code
    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        if new_key not in new_prov_by_key:
            problems.append(f"DICT_PROVINCE: unknown new province key {new_key}")
            continue
        for old_key in old_keys:
            if old_key not in old_prov_by_key:
                problems.append(f"DICT_PROVINCE: unknown old province key {old_key}")
                continue
            old_code = old_prov_by_key[old_key]
            if old_code in successor:
                problems.append(f"DICT_PROVINCE: old province {old_key} mapped twice")
            successor[old_code] = new_prov_by_key[new_key]
    for code in sorted(set(old_prov_by_key.values()) - set(successor)):
        problems.append(f"old province {code} has no successor")
    for code, new_code in successor.items():
        prov_rows[(PRE, code)][4] = new_code
    write_csv(
        "provinces.csv",
        ["era", "code", "name", "short_name", "successor_code", "latitude", "longitude"],
        sorted(prov_rows.values(), key=lambda x: (x[0] != PRE, x[1])),
    )

    # --- districts (pre-2025 only) --------------------------------------
    districts = {
        r["districtCode"]: [r["districtCode"], r["district"], r["provinceCode"]] for r in legacy
    }
    write_csv("districts.csv", ["code", "name", "province_code"], sorted(districts.values()))

    # --- communes ---------------------------------------------------------
    communes = []
    old_commune_by_key = {}  # "prov_district_ward" -> (ward code, province code)
    island_keys = set()  # districts without communes: key ends with "_"
    for r in legacy:
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if r["wardCode"] is None:
            island_keys.add(key)
            continue
        old_commune_by_key[key] = (r["wardCode"], r["provinceCode"])
        communes.append(
            [
                PRE,
                r["wardCode"],
                r["ward"],
                r["provinceCode"],
                r["districtCode"],
                rnd(r["wardLat"]),
                rnd(r["wardLon"]),
            ]
        )
    new_commune_by_key = {}  # (new provinceKey, new wardKey) -> (ward code, province code)
    for r in current:
        new_commune_by_key[(r["provinceKey"], r["wardKey"])] = (r["wardCode"], r["provinceCode"])
        communes.append(
            [
                POST,
                r["wardCode"],
                r["ward"],
                r["provinceCode"],
                "",
                rnd(r["wardLat"]),
                rnd(r["wardLon"]),
            ]
        )
    communes.sort(key=lambda x: (x[0] != PRE, x[1]))
    write_csv(
        "communes.csv",
        ["era", "code", "name", "province_code", "district_code", "latitude", "longitude"],
        communes,
    )

    # --- commune successions -----------------------------------------------
    # Same key scheme as converter_2025.py: old key "<prov>_<district>_<ward>"
    # looked up first in DICT_PROVINCE_WARD_NO_DIVIDED[new prov], then in
    # DICT_PROVINCE_WARD_DIVIDED[new prov][old key].
    succ = {}  # (old code, new code) -> is_default
    island_succ = []

    def add(new_prov_key, old_key, new_ward_key, is_default, source):
        new = new_commune_by_key.get((new_prov_key, new_ward_key))
        if new is None:
            problems.append(f"{source}: unknown new commune {new_prov_key}/{new_ward_key}")
            return
        if old_key in island_keys:
            island_succ.append((old_key, new[0]))
            return
        old = old_commune_by_key.get(old_key)
        if old is None:
            problems.append(f"{source}: unknown old commune key {old_key}")
            return
        if successor.get(old[1]) != new[1]:
            problems.append(
                f"province mismatch: old {old[0]} (prov {old[1]} -> "
                f"{successor.get(old[1])}) -> new {new[0]} (prov {new[1]})"
            )
        pair = (old[0], new[0])
        if pair in succ:
            problems.append(f"{source}: duplicate succession {pair}")
        succ[pair] = 1 if is_default else 0

    for new_prov_key, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_keys in wards.items():
            for old_key in old_keys:
                add(new_prov_key, old_key, new_ward_key, True, "NO_DIVIDED")
    for new_prov_key, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in olds.items():
            for t in targets:
                add(new_prov_key, old_key, t["newWardKey"], t["isDefaultNewWard"], "DIVIDED")

    by_old = {}
    for (old_code, _new_code), dflt in succ.items():
        by_old.setdefault(old_code, []).append(dflt)
    for old_code, _ in old_commune_by_key.values():
        if old_code not in by_old:
            problems.append(f"old commune {old_code} has no successor")
    for old_code, flags in by_old.items():
        if sum(flags) != 1:
            problems.append(f"old commune {old_code} has {sum(flags)} default successors")
    write_csv(
        "commune_successions.csv",
        ["old_code", "new_code", "is_default"],
        sorted([o, n, d] for (o, n), d in succ.items()),
    )

    for key, new_code in sorted(island_succ):
        print(
            f"note: island district without communes {key} -> new commune {new_code} "
            "(not in commune_successions.csv)",
            file=sys.stderr,
        )
    for p in problems:
        print(f"PROBLEM: {p}", file=sys.stderr)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
