"""Django settings. Embedded SQLite under ./var by default; PostgreSQL when DATABASE_URL says so.

Everything that differs between a laptop demo and production comes from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KOSHIKI_VAR_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("KOSHIKI_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("KOSHIKI_SECRET_KEY", "insecure-dev-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    # A local, non-debug run without a key (tests, demo): a stable per-checkout key under var/.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = key_file.read_text().strip()



def _encryption_keys() -> list[str]:
    """Fernet keys from KOSHIKI_ENCRYPTION_KEY; a local run without one keeps a per-checkout key under var/."""
    configured = os.environ.get("KOSHIKI_ENCRYPTION_KEY", "").strip()
    if configured:
        return [key.strip() for key in configured.split(",") if key.strip()]
    from cryptography.fernet import Fernet

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "encryption_key"
    if not key_file.exists():
        key_file.write_text(Fernet.generate_key().decode("ascii"))
        key_file.chmod(0o600)
    return [key_file.read_text().strip()]


KOSHIKI_ENCRYPTION_KEYS = _encryption_keys()

ALLOWED_HOSTS = os.environ.get("KOSHIKI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "koshiki.core",
    "koshiki.audit",
    "koshiki.orgs",
    "koshiki.registry",
    "koshiki.security",
    "koshiki.twostep",
    "koshiki.posts",
    "koshiki.web",
    "koshiki.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "koshiki.core.request_id.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "koshiki.twostep.middleware.TwoStepMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
STATIC_ROOT = VAR_DIR / "static"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

TASKS = {"default": {"BACKEND": os.environ.get("KOSHIKI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

EMAIL_BACKEND = os.environ.get("KOSHIKI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("KOSHIKI_FROM_EMAIL", "koshiki@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KOSHIKI_LOG_LEVEL", "INFO")},
}

# Background work that survives a crash (core/jobs.py): a task RUNNING longer than the lease is taken to
# belong to a dead worker and is queued again, at most KOSHIKI_TASK_MAX_ATTEMPTS claims in all.
KOSHIKI_TASK_LEASE_SECONDS = int(os.environ.get("KOSHIKI_TASK_LEASE_SECONDS", "600"))
KOSHIKI_TASK_MAX_ATTEMPTS = int(os.environ.get("KOSHIKI_TASK_MAX_ATTEMPTS", "3"))
KOSHIKI_SWEEP_SECONDS = int(os.environ.get("KOSHIKI_SWEEP_SECONDS", "60"))
