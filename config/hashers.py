"""Django's PBKDF2 password hasher (same algorithm, same 1,000,000 iterations, same stored
hashes), with at most :data:`SLOTS` hashes computed at once on the machine.

A hash costs about a quarter of a second of one core, by design. When many people sign in at
once (a province's officers at the start of the day, or someone trying passwords), unbounded
hashing would take every core and stall every page; bounded, sign-ins queue behind each other
(waiting costs no CPU) while the other cores serve pages. The bound is per machine, across
gunicorn's processes and threads, by ``fcntl.flock`` on lock files in the system's temporary
folder (``PASSWORD_HASH_SLOTS``: default half the cores, at least one). Where file locks are not
available, hashing is not bounded.
"""

import contextlib
import os
import random
import tempfile
import threading
from pathlib import Path

from django.contrib.auth.hashers import PBKDF2PasswordHasher

try:
    import fcntl
except ImportError:  # not a POSIX system
    fcntl = None

SLOTS = max(1, int(os.environ.get("PASSWORD_HASH_SLOTS") or (os.cpu_count() or 2) // 2))
LOCK_DIR = Path(tempfile.gettempdir())
_local = threading.local()


@contextlib.contextmanager
def hash_slot():
    """Hold one of the machine's :data:`SLOTS` hashing slots while the block runs (re-entrant
    within a thread)."""
    if fcntl is None or getattr(_local, "held", False):
        yield
        return
    paths = [LOCK_DIR / f"ishc-password-hash-{i}.lock" for i in range(SLOTS)]
    files = []
    try:
        chosen = None
        for path in paths:  # a free slot, if any
            f = open(path, "a")  # noqa: SIM115 - closed below
            files.append(f)
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            chosen = f
            break
        if chosen is None:  # all taken: wait for one of them
            chosen = random.choice(files)  # noqa: S311 - not for security
            fcntl.flock(chosen, fcntl.LOCK_EX)
        _local.held = True
        try:
            yield
        finally:
            _local.held = False
            fcntl.flock(chosen, fcntl.LOCK_UN)
    finally:
        for f in files:
            f.close()


class BoundedPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """``PBKDF2PasswordHasher`` computing its hash in one of the machine's hashing slots."""

    def encode(self, password, salt, iterations=None):
        with hash_slot():
            return super().encode(password, salt, iterations)
