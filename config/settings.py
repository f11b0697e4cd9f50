"""Settings for the ISHC programme-administration system.

Every value that differs between machines comes from the environment (django-environ);
a ``.env`` file in the project folder is read when present. Variables:

- ``DEBUG`` (bool, default off).
- ``SECRET_KEY``: required when ``DEBUG`` is off; the demo and test commands set a
  development key of their own. Raises ``ImproperlyConfigured`` when missing.
- ``DATABASE_URL`` (default ``sqlite:///<project>/db.sqlite3``), e.g.
  ``postgres://postgres@127.0.0.1:5432/ishc``.
- ``ALLOWED_HOSTS`` (comma-separated, default ``localhost,127.0.0.1`` when ``DEBUG``).
- ``CSRF_TRUSTED_ORIGINS`` (comma-separated origins with scheme, e.g. ``https://ishc.example.vn``).
- ``CACHE_URL`` (default a database cache ``dbcache://ishc_cache`` shared by every process when
  ``DEBUG`` is off, per-process memory when on).
- HTTPS (all on by default when ``DEBUG`` is off): ``SECURE_SSL_REDIRECT``,
  ``SECURE_HSTS_SECONDS`` (default one year), ``SECURE_HSTS_INCLUDE_SUBDOMAINS``,
  ``SECURE_HSTS_PRELOAD``, ``SECURE_COOKIES`` (session and CSRF cookies sent over HTTPS only),
  ``SECURE_PROXY_SSL_HEADER`` (set to ``HTTP_X_FORWARDED_PROTO`` behind a TLS-terminating proxy
  that sets ``X-Forwarded-Proto``).
- ``AXES_IPWARE_PROXY_COUNT`` (int, default 0): reverse proxies in front of the app whose
  ``X-Forwarded-For`` is trusted for the client address of the login throttle.
- ``SESSION_IDLE_MINUTES`` (default 30), ``LOG_LEVEL`` (default ``INFO``).
- ``PASSWORD_HASH_NICE`` (int, default 10): the Linux nice value of the threads that hash
  passwords at sign-in, so a burst of sign-ins gives way to page requests (0: normal priority).
"""

from pathlib import Path

import csp.constants as csp
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set it in the environment."
        )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "config.apps.AxesConfig",  # django-axes, under a Vietnamese name
    "common",
    "accounts",
    "clubs",
    "members",
    "loans",
    "training",
    "activities",
    "reporting",
    "submissions",
    "spreadsheets",
    "demo",
    "django_tasks",
    "config.apps.TasksDatabaseConfig",  # django-tasks-db, under a Vietnamese name
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.PrivacyMiddleware",
    "config.middleware.WriteRefusedMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
            # ``unlocalize`` everywhere: ids in URLs and form values are printed without the
            # thousands separator (USE_THOUSAND_SEPARATOR would print pk 1167 as "1.167").
            "builtins": ["django.templatetags.l10n"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Reporting reads aggregate a million rows: PostgreSQL's JIT spends seconds compiling such
    # plans for no gain at this size, and the default 4 MB of work memory sends their sorts to
    # disk. Both are per connection; DB_WORK_MEM overrides the amount (README, production).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c jit=off -c work_mem={env.str('DB_WORK_MEM', default='64MB')}"
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo database: a transaction takes the write lock when it begins, so that two
    # writers wait for each other (up to 20 s) instead of one failing with "database is
    # locked" when it upgrades a read to a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# Persistent connections: a new PostgreSQL connection costs about 10 ms of server time (a
# backend process, authentication, its catalogue caches warmed again), more than many pages'
# own queries. Each worker thread keeps its connection for DB_CONN_MAX_AGE seconds (0: one
# per request), checked before reuse so a restarted server costs no failed request.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=600))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Django's PBKDF2-SHA256 (same stored format and iterations), computed at a lowered priority:
# accounts.hashers.
PASSWORD_HASHERS = [
    "accounts.hashers.YieldingPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_HASH_NICE = env.int("PASSWORD_HASH_NICE", default=10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English second. Dates are read day-first in both languages and
# numbers are grouped with "." (config/formats/<lang>/formats.py).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Limits of an uploaded spreadsheet (README, "Limits"): the file's size, the data rows and
# columns a sheet may hold, an .xlsx/.ods archive's uncompressed total and compression ratio,
# and the memory and time of the child process that parses a workbook.
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=20)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=100)
IMPORT_MAX_UNCOMPRESSED_MB = env.int("IMPORT_MAX_UNCOMPRESSED_MB", default=200)
IMPORT_MAX_RATIO = env.int("IMPORT_MAX_RATIO", default=100)
IMPORT_PARSE_MEMORY_MB = env.int("IMPORT_PARSE_MEMORY_MB", default=1024)
IMPORT_PARSE_SECONDS = env.int("IMPORT_PARSE_SECONDS", default=60)
IMPORT_PARSE_IN_PROCESS = env.bool("IMPORT_PARSE_IN_PROCESS", default=False)
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2000)
# An upload within the limit stays in memory (never on disk outside MEDIA_ROOT); a larger
# request is spooled where the hourly clean-up (clean_uploads) finds what a killed request
# leaves.
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_UPLOAD_MB * 1024 * 1024 + 64 * 1024
FILE_UPLOAD_TEMP_DIR = env.str(
    "FILE_UPLOAD_TEMP_DIR", default=str(Path(str(MEDIA_ROOT)) / "uploads-tmp")
)
MEDIA_URL = "media/"

# Shared by every process: a database cache by default in production (its table is
# made by ``manage.py createcachetable``, run by ``make serve``); Redis also works
# (``CACHE_URL=redis://...``). The per-process memory cache is only for development.
#: Days an as-of date's kept club figures stay after their last use, unless the date is kept for
#: good (today, quarter and phase ends): ``python manage.py keep_figures`` evicts the others.
FIGURES_KEEP_DAYS = env.int("FIGURES_KEEP_DAYS", default=14)

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://" if DEBUG else "dbcache://ishc_cache")
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # Django's default of 300 entries makes the table cull a third of its rows, by key order
    # (the dashboards' first), while the versioned figures of 34 provinces in two languages and
    # several dates are all in use; entries of an older data version expire after a day.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault(
        "MAX_ENTRIES", env.int("CACHE_MAX_ENTRIES", default=5000)
    )

# Background jobs (PDF reports): django-tasks with its database backend, a queue in the
# database that ``python manage.py db_worker`` runs. ``TASKS_BACKEND`` may name
# ``django_tasks.backends.immediate.ImmediateBackend`` to run jobs at once, in the request.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

#: PDF report jobs (``reporting.tasks``; README "Limits and retention"). A running job's worker
#: renews its lease every third of ``REPORT_LEASE_SECONDS``; a job whose lease passed (its
#: worker died) is marked failed and queued again, up to ``REPORT_MAX_ATTEMPTS`` renders. A
#: queued job not taken by a worker within ``REPORT_QUEUE_WAIT_SECONDS`` is marked failed. A
#: user has at most ``REPORT_JOBS_PER_USER`` jobs queued or running at once. Finished renders
#: are deleted ``REPORT_KEEP_DAYS`` days after they finished (issued reports are kept for good)
#: by ``python manage.py clean_reports``.
REPORT_LEASE_SECONDS = env.int("REPORT_LEASE_SECONDS", default=300)
REPORT_QUEUE_WAIT_SECONDS = env.int("REPORT_QUEUE_WAIT_SECONDS", default=1800)
REPORT_MAX_ATTEMPTS = env.int("REPORT_MAX_ATTEMPTS", default=3)
REPORT_JOBS_PER_USER = env.int("REPORT_JOBS_PER_USER", default=3)
REPORT_KEEP_DAYS = env.int("REPORT_KEEP_DAYS", default=30)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Security and production. Secure by default when DEBUG is off; every value can
# be set from the environment. ``python manage.py check --deploy`` must print no warning.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.str("SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = (env.str("SECURE_PROXY_SSL_HEADER"), "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"

# Idle timeout: the session ends after SESSION_IDLE_MINUTES without a request (every request
# renews the cookie), and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Strict Content-Security-Policy (django-csp 4): our own origin only; scripts need the origin or
# a per-request nonce (``{{ request.csp_nonce }}``); no inline styles; no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}

# Login throttling (django-axes): 5 failures for one username from one address lock that pair
# (officers share office networks, so neither the address nor the username alone is locked);
# the lock lifts after an hour or when an administrator removes it in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 1  # hour (the lockout page says so)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
AXES_VERBOSE = False

# Every record is one line with its control characters escaped (``config.logs``): a user name
# or a path holding a line break cannot write a second, forged record. Django's own default
# handlers (the "django" logger's console and mail handlers, runserver's "django.server") are
# replaced, so every record goes through this formatter.
LOGGING["formatters"] = {
    "plain": {
        "()": "config.logs.EscapingFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
    }
}
LOGGING["handlers"]["console"]["formatter"] = "plain"
LOGGING["loggers"] = {
    "django": {"handlers": [], "level": "INFO", "propagate": True},
    "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    # Sign-ins, failed sign-ins, sign-outs and refused accesses (accounts/signals.py,
    # accounts/middleware.py): user name and time only, never personal data.
    "ishc.security": {"level": "INFO"},
    # django-axes logs the attempted credentials' context itself; ours suffice.
    "axes": {"level": "WARNING"},
}
