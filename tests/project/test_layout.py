"""The shape of the code: no module over 600 lines, and the README's layout table names every
app folder (and only those)."""

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
