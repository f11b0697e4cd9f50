"""Passwords hashed at a lowered priority: same hashes as Django's PBKDF2, on niced threads."""

import base64
import hashlib
import os
import threading

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password
from django.test import override_settings

from accounts.hashers import YieldingPBKDF2PasswordHasher, hashing_pool


def test_the_hash_is_pbkdf2_sha256_in_djangos_format():
    expected = base64.b64encode(
        hashlib.pbkdf2_hmac("sha256", b"ishc-demo-2016", b"muoisaugiay", 1000)
    ).decode()
    encoded = YieldingPBKDF2PasswordHasher().encode("ishc-demo-2016", "muoisaugiay", 1000)
    assert encoded == f"pbkdf2_sha256$1000${'muoisaugiay'}${expected}"


def test_passwords_stored_by_djangos_hasher_still_verify():
    stored = PBKDF2PasswordHasher().encode("mật khẩu cũ", "salt1234567890ab", 1000)
    with override_settings(PASSWORD_HASHERS=["accounts.hashers.YieldingPBKDF2PasswordHasher"]):
        assert check_password("mật khẩu cũ", stored)
        assert not check_password("mật khẩu mới", stored)


def test_the_hash_runs_on_a_thread_of_its_own():
    names = hashing_pool().submit(lambda: threading.current_thread().name).result()
    assert names.startswith("password-hash")
    assert names != threading.current_thread().name


def test_the_hashing_threads_run_at_the_lowered_priority():
    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    theirs = (
        hashing_pool()
        .submit(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        .result()
    )
    # A thread may lower its priority (raise its nice value) but never raise it back.
    assert theirs == max(settings.PASSWORD_HASH_NICE, own)
    assert settings.PASSWORD_HASH_NICE == 10
