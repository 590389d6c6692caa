"""Settings for the Zhejiang case-study database.

Everything that differs between a laptop, CI and production comes from the
environment (or a local, git-ignored `.env` file that `make run` writes):

- ``DJANGO_ENV``: ``local`` (default) or ``production``; production turns on
  HTTPS-only cookies, HSTS and the SSL redirect.
- ``SECRET_KEY`` (required), ``DEBUG`` (off unless set), ``ALLOWED_HOSTS``.
- ``DATABASE_URL``: default is SQLite in the project folder; ``postgres://…``
  selects PostgreSQL through psycopg 3.
- ``DATABASE_REPLICA_URL``: optional read replica; read-only requests read it.
- ``CORPUS_DIR``: where the raw article corpus is read from at run time.
- ``LOG_FORMAT``: ``plain`` (default) or ``json`` (one JSON object per line).
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (never committed) holds the generated SECRET_KEY for `make run`.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="local")
if DJANGO_ENV not in {"local", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'local' or 'production'")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Export it, or run `make run` once: it writes a "
        "random one to the git-ignored .env file."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "regions",
    "cases",
    "search",
    "pages",
]

MIDDLEWARE = [
    "config.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the background worker (db_worker) share the file: WAL lets pages read
    # while the worker writes, and a writer waits for the other instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"})
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Keep connections between requests; health-checked so a restarted server is survived.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction pooling mode: CONN_MAX_AGE=0 and this on (docs/scaling.md).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
    # Chinese search needs a UTF-8 ctype (see search/); the test database gets one too.
    DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = "template0"
    DATABASES["default"]["TEST"]["CHARSET"] = "UTF8"

# An optional read replica (streaming copy of "default"): GET requests read it, see config/routers.py.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False  # nothing is written there
    # Under test the replica is the default database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
                      "config.routers.ReplicaReadsMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Chinese first: no per-browser language switching, so an English browser still gets the
# zh-hans admin and pages (API field names and error codes are English by design).
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: refuse oversized bodies early (admin imports have their own limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Whole multipart uploads (admin imports of source files) may be larger; beyond it: 413.
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=64 * 1024 * 1024)
# An oversized body up to this size is read and discarded so the client receives the 413.
REQUEST_BODY_DRAIN_LIMIT = env.int("REQUEST_BODY_DRAIN_LIMIT", default=128 * 1024 * 1024)

# Editors' uploads (admin › 上传新一期): each file at most this big; a job of several files
# must also fit MAX_UPLOAD_SIZE. Files wait in the database for the worker.
UPLOAD_MAX_FILE_BYTES = env.int("UPLOAD_MAX_FILE_BYTES", default=50 * 1024 * 1024)
UPLOAD_MAX_FILES = env.int("UPLOAD_MAX_FILES", default=20)

# Background jobs (uploads) run on django-tasks' database backend: the queue is a table in our
# own database (SQLite or PostgreSQL), so no broker; `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Where the third-party article corpus lives; read at run time, never committed.
CORPUS_DIR = Path(env.str("CORPUS_DIR", default=str(BASE_DIR.parent / "shared" / "corpus")))
# jieba's dictionary cache: a fixed, writable place so workers and CI agree.
JIEBA_CACHE_DIR = Path(env.str("JIEBA_CACHE_DIR", default=str(BASE_DIR / "var" / "jieba")))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
    },
}
# Rows in one ``?format=csv`` response: a bigger result comes in parts (X-Total-Count, Link rel="next"),
# so a download never outlives the server's request timeout.
API_CSV_MAX_ROWS = env.int("API_CSV_MAX_ROWS", default=10_000)

SPECTACULAR_SETTINGS = {
    "TITLE": "浙江基层治理与共同富裕案例库 API",
    "DESCRIPTION": "Case studies of local governance and common prosperity in Zhejiang: "
    "regions, articles, initiatives, outcome figures and metrics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.sparse_fields_are_optional",
        "config.api.schema.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ArticleKindEnum": "cases.models.Article.Kind",
        "PublicationKindEnum": "cases.models.Publication.Kind",
        "AliasKindEnum": "regions.models.AliasKind",
    },
}

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
# The API benchmark's baseline views (bench/baseline_views.py) are routed only when this is set.
BENCH_BASELINE = env.bool("BENCH_BASELINE", default=False)
CORS_URLS_REGEX = r"^/api/.*$"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
    # Public CSV downloads (config/api/downloads.py): a few MB each, so a small cache of their own.
    "downloads": env.cache("DOWNLOAD_CACHE_URL", default="locmemcache://downloads?max_entries=16"),
}
#: Keep public CSV downloads between requests (config/api/downloads.py); the tests turn it off.
KEEP_DOWNLOADS = env.bool("KEEP_DOWNLOADS", default=True)

LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'plain' or 'json'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "jieba": {"level": "WARNING"},
    },
}

# Security: sensible everywhere, strict in production (manage.py check --deploy is clean).
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
