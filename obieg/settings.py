"""Settings for Obieg, read from the environment (see .env.example) with safe development defaults."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The default is for development only; `manage.py check --deploy` flags it (security.W009).
SECRET_KEY = env("SECRET_KEY", default="django-insecure-obieg-development-only-change-me-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "viewflow",
    "viewflow.workflow",
    "organisation",
    "registry",
    "workflow",
    "deadlines",
    "search",
    "dispatch",
    "archive",
    "signatures",
    "replies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "obieg.urls"
WSGI_APPLICATION = "obieg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "organisation.context_processors.roles",
            ],
        },
    },
]

# PostgreSQL only: numbering, the append-only history and full-text search rely on it.
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/obieg")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# JIT compilation costs more than it saves on our short OLTP queries (measured on the task lists at 100,000 tasks).
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
# The office as named on documents it hands over (the spis zdawczo-odbiorczy of an archival package).
OFFICE_NAME = env("OBIEG_OFFICE_NAME", default="Urząd Gminy")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site root (/favicon.ico, also on admin and API pages), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": env("FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Attachments: hard ceiling per file; uploads larger than this are refused before they are stored.
MAX_ATTACHMENT_SIZE = env.int("MAX_ATTACHMENT_SIZE", default=50 * 1024 * 1024)
# DejaVu Sans (fonts-dejavu-core) is embedded in printed registers: the PDF core fonts have no Polish letters.
PDF_FONT_DIR = env("PDF_FONT_DIR", default="/usr/share/fonts/truetype/dejavu")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_EXTRACTION_QUEUE = env("CELERY_EXTRACTION_QUEUE", default="extraction")  # see obieg/celery.py
CELERY_TASK_ROUTES = ["obieg.celery.route_task"]
# Filled by the apps (workflow, deadlines, search) in their own beat_schedule modules, merged below.
CELERY_BEAT_SCHEDULE: dict = {}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache" if env.bool("USE_REDIS_CACHE", default=False)
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": REDIS_URL,
    }
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="obieg@localhost")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

SEARCH_BACKEND = env("SEARCH_BACKEND", default="postgres")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="obieg")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "obieg.api_schema.ObiegAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Obieg API",
    "DESCRIPTION": "Rejestracja przesyłek, sprawy, wyszukiwanie (Obieg EOD)",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # 3.1: a nullable reference is `oneOf: [$ref, {type: null}]`, which validators read as meant; in 3.0 the
    # `nullable` beside an `allOf` of a reference is ambiguous and strict validators refuse the null.
    "OAS_VERSION": "3.1.0",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "obieg.api_schema.nullable_as_oas31"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SPECTACULAR_SETTINGS.update(
    SWAGGER_UI_DIST="SIDECAR",
    SWAGGER_UI_FAVICON_HREF="SIDECAR",
    REDOC_DIST="SIDECAR",
    ENUM_NAME_OVERRIDES={
        "DeliveryStatusEnum": "registry.models.Delivery.Status",
        "CaseStatusEnum": "registry.models.CaseStatus",
        "OutgoingStatusEnum": "registry.models.OutgoingItem.Status",
        "DocumentKindEnum": "registry.models.DocumentKind",
        "ChannelEnum": "registry.models.Channel",
        "OutgoingChannelEnum": "registry.models.OutgoingChannel",
        "DispatchChannelEnum": "dispatch.forms.CHANNELS",  # the outgoing channels dispatch sends through
    },
)

# --- Electronic channels: e-Doręczenia (UA API 3.0.8) mailbox import -------------------------------------------------
# The import runs (Celery beat, registry/schedule.py) only when EDORECZENIA_URL is set.
EDORECZENIA_URL = env("EDORECZENIA_URL", default="")  # base URL of the UA API, ending with /api/v1
EDORECZENIA_ADE = env("EDORECZENIA_ADE", default="")  # the office's mailbox, e.g. AE:PL-12345-12345-ABCDE-12
EDORECZENIA_TOKEN_URL = env("EDORECZENIA_TOKEN_URL", default="")  # OAuth 2.0 token endpoint (mutual TLS)
EDORECZENIA_CLIENT_ID = env("EDORECZENIA_CLIENT_ID", default="")  # defaults to the ADE when empty
EDORECZENIA_SCOPE = env("EDORECZENIA_SCOPE", default="read_messages write_messages")
EDORECZENIA_CLIENT_CERT = env("EDORECZENIA_CLIENT_CERT", default="")  # path to the X.509 client certificate (PEM)
EDORECZENIA_CLIENT_KEY = env("EDORECZENIA_CLIENT_KEY", default="")  # path to its private key (PEM)
EDORECZENIA_TIMEOUT = env.float("EDORECZENIA_TIMEOUT", default=30.0)  # seconds, every call
EDORECZENIA_POLL_MINUTES = env.int("EDORECZENIA_POLL_MINUTES", default=5)
EDORECZENIA_IMPORT_USER = env("EDORECZENIA_IMPORT_USER", default="edoreczenia")  # account the import registers as

# Dispatch (docs/channels.md). Addressees without an ADE get the office's paper channel: "hybrid" (PUH) or
# "post_registered" (registered letter with a return receipt).
DISPATCH_PAPER_CHANNEL = env("DISPATCH_PAPER_CHANNEL", default="post_registered")
# A callable "module.function(correspondent) -> str" that finds an addressee's ADE (e.g. in the BAE); empty = none.
DISPATCH_ADE_LOOKUP = env("DISPATCH_ADE_LOOKUP", default="")
# Document kinds that must carry a signature before they leave the office.
DISPATCH_SIGNED_KINDS = env.list("DISPATCH_SIGNED_KINDS", default=["decision", "letter", "draft"])
# KPA art. 44 § 4 with art. 57 § 4: move the end of the 14-day storage off a Saturday or a holiday (unverified).
DISPATCH_ART44_SHIFT = env.bool("DISPATCH_ART44_SHIFT", default=True)
DISPATCH_SEND_ATTEMPTS = env.int("DISPATCH_SEND_ATTEMPTS", default=5)  # then left for a person
# Electronic signatures (signatures/): PEM files with the CA certificates trusted when verifying XAdES/PAdES. No
# national trust list (TSL) is loaded and revocation (OCSP/CRL) is not checked; without anchors every signature that
# is intact is reported as "issuer not trusted".
SIGNATURE_TRUST_ANCHORS = env.list("SIGNATURE_TRUST_ANCHORS", default=[])
# The check dispatch runs before sending (dispatch/signature.py): verified signatures where the route requires them.
DISPATCH_SIGNATURE_CHECK = env.str("DISPATCH_SIGNATURE_CHECK", default="signatures.checks.signature_problem")
# Secret part of the callback URL /wysylka/edoreczenia/<token>/ given to the service (empty: no callbacks, polling).
EDORECZENIA_CALLBACK_TOKEN = env("EDORECZENIA_CALLBACK_TOKEN", default="")
DISPATCH_POLL_DAYS = env.int("DISPATCH_POLL_DAYS", default=45)  # evidence polling stops after this many days
# The office as the sender on envelopes, the ZPO and the dispatch book.
OFFICE_NAME = env("OFFICE_NAME", default="Urząd Gminy")
OFFICE_ADDRESS = env("OFFICE_ADDRESS", default="")
EPUAP_MAX_DOCUMENT_SIZE = env.int("EPUAP_MAX_DOCUMENT_SIZE", default=80 * 1024 * 1024)

# Deadlines and workflow (read by deadlines/tasks.py and workflow/receivers.py).
DEADLINE_REMINDER_WORKING_DAYS = env.int("DEADLINE_REMINDER_WORKING_DAYS", default=3)
DEADLINE_OVERDUE_CATCH_UP_DAYS = env.int("DEADLINE_OVERDUE_CATCH_UP_DAYS", default=7)
WORKFLOW_AUTOSTART_DEKRETACJA = env.bool("WORKFLOW_AUTOSTART_DEKRETACJA", default=True)
# Working days the registry clerks have to choose the unit of a registered delivery (the task's due time).
WORKFLOW_CHOOSE_UNIT_WORKING_DAYS = env.int("WORKFLOW_CHOOSE_UNIT_WORKING_DAYS", default=1)
# A unit chosen at registration (the addressed unit) is applied straight away instead of being confirmed again.
WORKFLOW_APPLY_ADDRESSED_UNIT = env.bool("WORKFLOW_APPLY_ADDRESSED_UNIT", default=False)
