"""The shape of the code: no module over 600 lines, values formatted through ``common.formats``,
docstrings citing the decisions rather than documents outside the repository, and the README's
layout table naming every app folder (and only those)."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 600


def tracked_python_files():
    out = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    for name in out.stdout.splitlines():
        if "/migrations/" in name or "/data/" in name:
            continue
        yield ROOT / name


def test_no_module_over_600_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in tracked_python_files()
        if p.exists() and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def app_python_files():
    """The product's own modules (not tests, benchmarks or migrations)."""
    for path in tracked_python_files():
        if path.exists() and path.relative_to(ROOT).parts[0] not in ("tests", "bench"):
            yield path


FORMATTING = re.compile(r"strftime\(\"%d|:%d/%m/%Y\}|:,\}|\.replace\(\",\", \"\.\"\)")


def test_values_are_formatted_through_common_formats():
    by_hand = {
        str(p.relative_to(ROOT)): FORMATTING.findall(p.read_text(encoding="utf-8"))
        for p in app_python_files()
    }
    assert {k: v for k, v in by_hand.items() if v} == {}


def test_docstrings_cite_the_decisions_not_documents_outside_the_repository():
    outside = re.compile(r"DESIGN(\.md| §)|IMPORT_TEMPLATES|\(issue \d+|\bissue \d+\)")
    found = [
        str(p.relative_to(ROOT))
        for p in app_python_files()
        if outside.search(p.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_readme_layout_table_matches_the_folders():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    listed = set()
    for cell in re.findall(r"^\| ([^|]+) \|", section, flags=re.MULTILINE):
        listed |= set(re.findall(r"`([a-z_]+)/`", cell))
    folders = {
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / "__init__.py").exists()
    }
    folders |= {"templates", "static"}
    assert listed == folders


#: An id printed by a template as a number: with USE_THOUSAND_SEPARATOR, pk 1167 would read
#: "1.167" in a link or a form value (``?province=1.167`` found no club).
BARE_ID = re.compile(r"\{\{ *[a-zA-Z_.]*(?:\.pk|\.id|_pk) *\}\}")


def test_templates_print_ids_unlocalized():
    out = subprocess.run(
        ["git", "ls-files", "*.html"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    bare = {
        name: BARE_ID.findall((ROOT / name).read_text(encoding="utf-8"))
        for name in out.stdout.splitlines()
        if (ROOT / name).exists()
    }
    assert {name: found for name, found in bare.items() if found} == {}


def test_an_id_over_a_thousand_prints_whole(settings):
    from django.template import engines

    template = engines["django"].from_string("?province={{ p.pk|unlocalize }} {{ p.pk }}")
    assert template.render({"p": {"pk": 1167}}) == "?province=1167 1.167"
