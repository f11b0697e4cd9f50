"""The bounded PBKDF2 hasher: Django's own hashes (same algorithm and iterations, so stored
passwords keep working and are not re-hashed), and never more hashes at once than slots."""

import threading

from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.test import override_settings

from config import hashers

BOUNDED = ["config.hashers.BoundedPBKDF2PasswordHasher"]


@override_settings(PASSWORD_HASHERS=BOUNDED)
def test_hashes_are_djangos_pbkdf2_hashes():
    stock = PBKDF2PasswordHasher()
    salt = stock.salt()
    stored = stock.encode("mật khẩu đủ dài", salt)
    assert stored.startswith(f"pbkdf2_sha256$1000000${salt}$")
    assert check_password("mật khẩu đủ dài", stored)
    assert not check_password("mật khẩu khác", stored)
    assert hashers.BoundedPBKDF2PasswordHasher().encode("mật khẩu đủ dài", salt) == stored
    assert not hashers.BoundedPBKDF2PasswordHasher().must_update(stored)
    assert make_password("x" * 12).startswith("pbkdf2_sha256$1000000$")


def test_no_more_hashes_at_once_than_slots(monkeypatch, tmp_path):
    monkeypatch.setattr(hashers, "SLOTS", 2)
    monkeypatch.setattr(hashers, "LOCK_DIR", tmp_path)
    inside, most = [0], [0]
    lock = threading.Lock()
    release = threading.Event()

    def fake_encode(self, password, salt, iterations=None):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        release.wait(5)
        with lock:
            inside[0] -= 1
        return "done"

    monkeypatch.setattr(PBKDF2PasswordHasher, "encode", fake_encode)
    hasher = hashers.BoundedPBKDF2PasswordHasher()
    threads = [threading.Thread(target=hasher.encode, args=("p", "s")) for _ in range(5)]
    for t in threads:
        t.start()
    while True:  # until two hold a slot and the other three wait for one
        with lock:
            if inside[0] == 2:
                break
    threading.Event().wait(0.2)  # the others had time to enter, were they not bounded
    assert most[0] == 2
    release.set()
    for t in threads:
        t.join(5)
    assert most[0] == 2 and inside[0] == 0
