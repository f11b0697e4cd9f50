"""The Nu HTML checker (vnu.jar, run with Java) from the npm registry's package ``vnu-jar``.

The jar (about 30 MB) is not kept in the repository: ``make test-assets`` (run by ``make test``)
or the first validity test fetches the pinned package with npm, checks its integrity and keeps
the jar in ``.cache/`` of the checkout. ``python -m tests.browser.vnu`` fetches it too.
"""

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VERSION = "26.9.27"
INTEGRITY = (
    "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA"
    "=="
)
ROOT = Path(__file__).resolve().parent.parent.parent
JAR = ROOT / ".cache" / f"vnu-jar-{VERSION}" / "vnu.jar"


def ensure_jar() -> Path:
    """The checker's jar, fetched from the npm registry when it is not here yet."""
    if JAR.exists():
        return JAR
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"vnu-jar@{VERSION}", "--pack-destination", tmp, "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(tmp).glob("vnu-jar-*.tgz")
        digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if f"sha512-{digest}" != INTEGRITY:
            raise RuntimeError(f"vnu-jar {VERSION}: the package's checksum is not the pinned one")
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/build/dist/vnu.jar")
            JAR.parent.mkdir(parents=True, exist_ok=True)
            partial = JAR.with_suffix(f".{os.getpid()}.part")
            with open(partial, "wb") as out:
                shutil.copyfileobj(member, out)
            partial.replace(JAR)
    return JAR


def check(folder: Path) -> list[dict]:
    """The errors of every ``.html`` file under ``folder``: ``[{"url", "message", "extract",
    "lastLine"}...]`` (warnings and info messages left out)."""
    result = subprocess.run(
        ["java", "-Xss1024k", "-jar", str(ensure_jar()), "--errors-only", "--format", "json"]
        + ["--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        raise RuntimeError(f"vnu failed ({result.returncode}): {result.stderr[-2000:]}")
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [m for m in messages if m.get("type") == "error"]


if __name__ == "__main__":
    print(ensure_jar().relative_to(ROOT))
