"""Django settings. Embedded SQLite under ./var by default; PostgreSQL when DATABASE_URL says so.

Everything that differs between a laptop demo and production comes from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext_lazy as _

from koshiki.project import envconfig

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# --- issue10 E: local or production mode, keys, file permissions -------------------------------
# Production is the default. Only KOSHIKI_ENV=local (set by scripts/demo.sh, scripts/run-tests.sh,
# the Makefile, the benchmarks and the tests' settings module) generates keys under var/ and relaxes
# the HTTPS settings. In production the keys must come from the environment, or Koshiki refuses to
# start, naming the variable and how to make a value (docs/DEPLOYMENT.md).
envconfig.restrict_umask()  # every file Koshiki creates (keys, SQLite + -wal/-shm, exports): 0600
ENVIRONMENT = envconfig.environment()
LOCAL = ENVIRONMENT == "local"
VAR_DIR = Path(os.environ.get("KOSHIKI_VAR_DIR", Path.cwd() / "var"))
DEBUG = envconfig.debug(LOCAL)
SECRET_KEY = envconfig.secret_key(LOCAL, VAR_DIR)
KOSHIKI_ENCRYPTION_KEYS = envconfig.encryption_keys(LOCAL, VAR_DIR)
ALLOWED_HOSTS = envconfig.allowed_hosts(LOCAL)
# --- end issue10 E -------------------------------------------------------------------------------

# Outbound requests (platform servers) go to public https addresses only; this lists the exact
# origins (scheme://host:port) allowed besides, for the local test network only, e.g.
# KOSHIKI_OUTBOUND_ALLOW=http://127.0.0.1:2583 (scripts/run-tests.sh sets it). See connectors/outbound.py.
KOSHIKI_OUTBOUND_ALLOW = [
    o.strip() for o in os.environ.get("KOSHIKI_OUTBOUND_ALLOW", "").split(",") if o.strip()
]

# Audit checkpoints are signed with an Ed25519 key kept outside the database. Production names the
# file (KOSHIKI_AUDIT_SIGNING_KEY_FILE, which must exist); a local run keeps one under var/ (0600).
KOSHIKI_AUDIT_SIGNING_KEY_FILE = os.environ.get("KOSHIKI_AUDIT_SIGNING_KEY_FILE", "")
KOSHIKI_AUDIT_CHECKPOINT_MINUTES = int(os.environ.get("KOSHIKI_AUDIT_CHECKPOINT_MINUTES", "60"))
# Free text referred to by the audit log (post texts, comments, reasons) is kept this long, then
# `koshiki audit shred` deletes it: 5 years, a common 文書の保存期間 for such records.
KOSHIKI_AUDIT_TEXT_RETENTION_DAYS = int(os.environ.get("KOSHIKI_AUDIT_TEXT_RETENTION_DAYS", str(5 * 365 + 2)))
# Finished background-task rows are pruned after this many days (core/pruning.py, issue #12).
KOSHIKI_TASK_RETENTION_DAYS = int(os.environ.get("KOSHIKI_TASK_RETENTION_DAYS", "14"))


INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "koshiki.core",
    "koshiki.notify",
    "koshiki.audit",
    "koshiki.orgs",
    "koshiki.registry",
    "koshiki.security",
    "koshiki.twostep",
    "koshiki.posts",
    "koshiki.aireview",  # issue #14 A: the optional AI reviewer
    "koshiki.feedback",
    "koshiki.web",
    "koshiki.demo",
]

MIDDLEWARE = [
    # issue10 E: first, so an oversized Cookie header is refused before anything parses it.
    "koshiki.core.cookie_limit.CookieSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "koshiki.core.request_id.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # issue11 N: request.staff, looked up once per request for views, templates, permissions and services.
    "koshiki.orgs.scoping.StaffCacheMiddleware",
    "koshiki.twostep.middleware.TwoStepMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # issue10 E: a wrong KOSHIKI_ENCRYPTION_KEY answers 503 with a clear page, never 500.
    "koshiki.core.seal_guard.SealErrorMiddleware",
]
KOSHIKI_MAX_COOKIE_BYTES = envconfig.integer("KOSHIKI_MAX_COOKIE_BYTES", 8192)  # issue10 E

ROOT_URLCONF = "koshiki.project.urls"
WSGI_APPLICATION = "koshiki.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "koshiki.web.context.current_staff",
            ],
        },
    },
]


def _database_from_url(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DATABASE_URL: unsupported scheme {parsed.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parsed.path.lstrip("/"),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": _database_from_url(os.environ["DATABASE_URL"])}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("KOSHIKI_SQLITE_PATH", str(VAR_DIR / "koshiki.sqlite3")),
            "OPTIONS": {
                # WAL lets the web server and the worker read while the other writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("KOSHIKI_STATIC_ROOT", VAR_DIR / "static"))
# issue10 E: the umask makes Koshiki's own files 0600; collected static files are public and the web
# server (another user) serves them, so collectstatic writes them world-readable on purpose.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

# --- issue10 E: HTTPS in production (`koshiki manage check --deploy --fail-level WARNING` passes) ----
# On by default in production, off in local mode (the demo runs on http://127.0.0.1).
SECURE_SSL_REDIRECT = envconfig.flag("KOSHIKI_SSL_REDIRECT", not LOCAL)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not LOCAL
SECURE_HSTS_SECONDS = 0 if LOCAL else envconfig.integer("KOSHIKI_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not LOCAL
# Preloading is a promise about the whole registrable domain (a city's lg.jp domain, not Koshiki's
# host), so it is the operator's explicit choice; without it Django's preload reminder is silenced.
SECURE_HSTS_PRELOAD = envconfig.flag("KOSHIKI_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Opt-in: trust X-Forwarded-Proto only when a proxy you run sets it and Koshiki is not reachable
# directly. gunicorn already honours it from 127.0.0.1 (forwarded_allow_ips), so the documented
# nginx/Caddy set-up does not need this.
if envconfig.flag("KOSHIKI_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# --- end issue10 E -----------------------------------------------------------------------------------

TASKS = {"default": {"BACKEND": os.environ.get("KOSHIKI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

EMAIL_BACKEND = os.environ.get("KOSHIKI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("KOSHIKI_FROM_EMAIL", "koshiki@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KOSHIKI_LOG_LEVEL", "INFO")},
}

# --- issue #10 §3 (helper C): sign-in throttling, session index ---------------------------------------
# django-axes counts failed password logins per login name and per client address; either reaching the
# limit locks further tries (even with the right password) until the cool-off passes or an administrator
# unlocks the person from the staff page (koshiki.logins.services.unlock_sign_in). Behind a reverse proxy
# REMOTE_ADDR is the proxy: set AXES_IPWARE_META_PRECEDENCE_ORDER / a client-IP callable for production.
import datetime as _dt  # noqa: E402

INSTALLED_APPS += ["axes", "koshiki.logins"]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as django-axes asks
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before the password check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("KOSHIKI_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = _dt.timedelta(minutes=int(os.environ.get("KOSHIKI_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_CALLABLE = "koshiki.web.views.account.locked_out"  # Japanese page: wait, or ask an administrator
AXES_RESET_ON_SUCCESS = (
    False  # a success does not wipe the address's count (one known password ≠ a free reset)
)
AXES_ENABLE_ADMIN = False
# Behind N trusted reverse proxies (nginx/Caddy appending to X-Forwarded-For),
# count the client, not the proxy.
KOSHIKI_PROXY_COUNT = int(os.environ.get("KOSHIKI_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "koshiki.logins.client_ip.client_ip"
AXES_VERBOSE = False
# --- end issue #10 §3 ---------------------------------------------------------------------------------

# Background work that survives a crash (core/jobs.py): a task RUNNING longer than the lease is taken to
# belong to a dead worker and is queued again, at most KOSHIKI_TASK_MAX_ATTEMPTS claims in all.
KOSHIKI_TASK_LEASE_SECONDS = int(os.environ.get("KOSHIKI_TASK_LEASE_SECONDS", "600"))
# issue #14 A: the optional AI reviewer: how long to wait for a body's endpoint, and the largest answer read.
KOSHIKI_AI_REVIEW_TIMEOUT_SECONDS = float(os.environ.get("KOSHIKI_AI_REVIEW_TIMEOUT_SECONDS", "20"))
KOSHIKI_AI_REVIEW_MAX_BYTES = int(os.environ.get("KOSHIKI_AI_REVIEW_MAX_BYTES", str(256 * 1024)))
# a pending review claimed longer ago than this belongs to a dead worker: the sweep takes it again
KOSHIKI_AI_REVIEW_CLAIM_SECONDS = int(os.environ.get("KOSHIKI_AI_REVIEW_CLAIM_SECONDS", "120"))
KOSHIKI_TASK_MAX_ATTEMPTS = int(os.environ.get("KOSHIKI_TASK_MAX_ATTEMPTS", "3"))
KOSHIKI_SWEEP_SECONDS = int(os.environ.get("KOSHIKI_SWEEP_SECONDS", "60"))
# Each worker also runs the cheap due sweeps (posts due now) this often, so nothing waits parked in the
# queue (issue #12) and a post still goes out within about a second of its time; 0 turns it off (then
# the sweeper pass above is the only path: a post at 10:00 goes out by 10:01).
KOSHIKI_DUE_POLL_SECONDS = float(os.environ.get("KOSHIKI_DUE_POLL_SECONDS", "1"))
