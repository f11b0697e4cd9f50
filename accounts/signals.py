"""Security log of sign-ins, failed sign-ins and sign-outs: the user name and the
time (from the log record), never a password or other personal data."""

import logging
import re

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("ishc.security")

_DIGITS_12 = re.compile(r"\d{12}")


def safe_username(value) -> str:
    """The typed user name for the log; a 12-digit run (a national ID typed by mistake) is
    replaced, and the value is cut to 150 characters."""
    return _DIGITS_12.sub("[12 chữ số]", str(value or ""))[:150]


@receiver(user_logged_in, dispatch_uid="ishc-log-login")
def log_login(sender, request, user, **kwargs):
    logger.info("login user_id=%s user=%s", user.pk, safe_username(user.get_username()))


@receiver(user_login_failed, dispatch_uid="ishc-log-login-failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    logger.warning("login failed user=%s", safe_username(credentials.get("username")))


@receiver(user_logged_out, dispatch_uid="ishc-log-logout")
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        logger.info("logout user_id=%s user=%s", user.pk, safe_username(user.get_username()))
