"""Password hashing that gives way to page requests.

A sign-in costs about a quarter of a second of CPU (PBKDF2-SHA256, Django's 1,000,000
iterations, kept: the cost is what protects a stolen password table). When many officers sign in
at once, on a small server those hashes would take every core and every page request would wait
behind them. :class:`YieldingPBKDF2PasswordHasher` computes the same hash, in the same stored
format (``pbkdf2_sha256$<iterations>$<salt>$<base64>``, so existing passwords verify and no
migration is needed), on a few threads of its own whose scheduling priority is lowered
(``PASSWORD_HASH_NICE``, a Linux nice value, default 10): the hash runs on whatever CPU the page
requests leave free. ``hashlib.pbkdf2_hmac`` releases the interpreter lock, so the waiting request
thread costs nothing. Where thread priorities cannot be set (not Linux), the hash runs at normal
priority and the result is the same.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

_pool = None
_pool_lock = threading.Lock()


def _lower_priority():
    nice = getattr(settings, "PASSWORD_HASH_NICE", 10)
    try:
        # On Linux a thread has its own nice value; the id is the thread's, not the process's.
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        pass


def hashing_pool() -> ThreadPoolExecutor:
    """The process's hashing threads (one per core, started on first use, after a fork too)."""
    global _pool
    with _pool_lock:
        if _pool is None or getattr(_pool, "_ishc_pid", None) != os.getpid():
            _pool = ThreadPoolExecutor(
                max_workers=os.cpu_count() or 1,
                thread_name_prefix="password-hash",
                initializer=_lower_priority,
            )
            _pool._ishc_pid = os.getpid()
        return _pool


class YieldingPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2-SHA256 hasher, computed at a lowered priority (see the module)."""

    def encode(self, password, salt, iterations=None):
        """Same arguments and result as Django's: ``"pbkdf2_sha256$<n>$<salt>$<hash>"``."""
        parent = super().encode
        return hashing_pool().submit(parent, password, salt, iterations).result()
