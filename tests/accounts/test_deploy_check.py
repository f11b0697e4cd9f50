"""``manage.py check --deploy`` is clean with production-like settings, and flags a weak
secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "SECRET_KEY": "k8#Qw2!zR7vYp4$Lm9^Tn3&Xc6*Hb1@Jd5%Fg0(Sa8)Ue2-Wo7+Iy4",
    "ALLOWED_HOSTS": "ishc.example.vn",
    "CSRF_TRUSTED_ORIGINS": "https://ishc.example.vn",
    "DEBUG": "0",
}


def run_check(**overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(PRODUCTION, **overrides)
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_weak_secret_fails_the_check():
    result = run_check(SECRET_KEY="short")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
