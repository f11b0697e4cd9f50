"""Uploaded files kept between an import's preview and its confirm, and how long.

An upload holds personal data (names, national IDs, phones): it is kept in the MEDIA storage
(shared by every app server) under ``imports/<user id>/`` only while its preview's token is
valid (:data:`TOKEN_MAX_AGE`), and deleted on confirm, on cancel, by the periodic clean-up
(``manage.py clean_uploads``) once older than that, and all at once when a member is
anonymised. Uploads larger than memory allows are spooled by Django into
``FILE_UPLOAD_TEMP_DIR``, which the clean-up empties of files older than an hour (a request
killed mid-upload leaves its file there).
"""

import os
import shutil
import time
from pathlib import Path

from django.conf import settings
from import_export.tmp_storages import MediaStorage

#: How long a preview's token (and so its stored upload) lives: 6 hours.
TOKEN_MAX_AGE = 6 * 3600
#: Django's spooled request files older than this are left over from killed requests.
SPOOL_MAX_AGE = 3600
FOLDER = "imports"


def storage(user, name=None) -> MediaStorage:
    """The stored upload ``name`` of ``user`` (a new one when ``name`` is None)."""
    return MediaStorage(name=name, MEDIA_FOLDER=f"{FOLDER}/{user.pk}")


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def _old_files(folder: Path, max_age: int):
    if not folder.is_dir():
        return
    limit = time.time() - max_age
    for path in folder.rglob("*"):
        if path.is_file() and path.stat().st_mtime < limit:
            yield path


def remove_expired(max_age: int = TOKEN_MAX_AGE) -> int:
    """Delete stored uploads older than ``max_age`` seconds, and Django's spooled request
    files older than :data:`SPOOL_MAX_AGE`. Returns how many files were deleted."""
    removed = 0
    for folder, age in ((_root(), max_age), (Path(settings.FILE_UPLOAD_TEMP_DIR), SPOOL_MAX_AGE)):
        for path in list(_old_files(folder, age)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def remove_all() -> None:
    """Delete every stored upload (a member was anonymised: a pending upload may name them)."""
    shutil.rmtree(_root(), ignore_errors=True)


def ensure_spool_folder() -> None:
    """Create ``FILE_UPLOAD_TEMP_DIR`` (Django spools large uploads there)."""
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)
