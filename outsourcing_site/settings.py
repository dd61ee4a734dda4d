"""Settings for Outsourcing Explained, read from environment variables.

Every value has a default that makes a local run work; the README lists them.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from .caches import redis_cache
from .environment import (
    env_bool,
    env_int,
    env_list,
    local_secret_key,
    private_sqlite_file,
    production_secret_key,
    proxy_ssl_header,
    trusted_proxy_count,
)
from .static_files import cache_hashed_files_for_a_year

BASE_DIR = Path(__file__).resolve().parent.parent

# "production" turns on HTTPS-only cookies, HSTS and the HTTPS redirect, and refuses a missing or weak secret key.
PRODUCTION = os.environ.get("DJANGO_ENV", "development").strip().lower() == "production"

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = production_secret_key() if PRODUCTION else local_secret_key(BASE_DIR / ".secret_key")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The public origin, e.g. https://outsourcing.example.com, for canonical links, the sitemap and link previews.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
# In page titles, link previews, JSON-LD and the error pages.
SITE_NAME = os.environ.get("SITE_NAME", "Outsourcing Explained")
# Who answers for the content, in every page's footer beside the date it last changed.
SITE_MAINTAINER = os.environ.get("SITE_MAINTAINER", f"the {SITE_NAME} editors")

INSTALLED_APPS = [
    "outsourcing_site.apps.EditorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "markdownx",
    "reversion",
    "adminsortable2",
    "outsourcing_site",
    "editorial",
    "content",
    "quiz",
]

# The middleware that add security headers to every response (and redirect plain HTTP to HTTPS). Static files
# are served before them, with the headers they add worked out once (outsourcing_site.static_files).
SECURITY_HEADER_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
MIDDLEWARE = [
    "outsourcing_site.middleware.RequestLogMiddleware",
    "outsourcing_site.static_files.StaticFilesMiddleware",
    # Before sessions and auth, so a cached page costs no database work, and before the header middleware, so the
    # cache keeps each page with its security headers and a hit runs none of them; GZip inside it, so the cache
    # keeps the compressed copy.
    "outsourcing_site.page_cache.AnonymousPageCacheMiddleware",
    *SECURITY_HEADER_MIDDLEWARE,
    # Before anything reads the body (sessions, CSRF, views), after the middleware that adds security headers.
    "outsourcing_site.request_bodies.RequestBodyLimitMiddleware",
    # Everything after it may wait on the database: limited, and a 503 page when the database is unavailable.
    "outsourcing_site.outages.DatabaseOutageMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "outsourcing_site.urls"
WSGI_APPLICATION = "outsourcing_site.wsgi.application"

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
                "outsourcing_site.context_processors.site_navigation",
                "outsourcing_site.context_processors.page_links",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    private_sqlite_file(DATABASES["default"]["NAME"])
    # Concurrent quiz takers on one SQLite file: readers never wait for the writer (WAL), a writer
    # waits its turn instead of failing (timeout), and a transaction takes the write lock when it
    # begins (IMMEDIATE), so two transactions can never deadlock upgrading from read to write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# How long PostgreSQL may keep a request waiting (README: "A database outage"). A server that stops answering
# altogether is given up on after the statement timeout too (outsourcing_site/database.py).
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 2)
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, made to stop trying a database it has just found not answering.
    DATABASES["default"]["ENGINE"] = "outsourcing_site.postgresql"
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": DATABASE_CONNECT_TIMEOUT,
        "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
        # A connection whose server or network went away silently is noticed within idle + interval x count.
        "keepalives": 1,
        "keepalives_idle": env_int("DATABASE_KEEPALIVES_IDLE", 30),
        "keepalives_interval": env_int("DATABASE_KEEPALIVES_INTERVAL", 10),
        "keepalives_count": env_int("DATABASE_KEEPALIVES_COUNT", 3),
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    REDIS_CACHE = redis_cache(REDIS_URL, os.environ.get("CACHE_KEY_PREFIX", "outsourcing"))
    CACHES = {"default": REDIS_CACHE, "shared": REDIS_CACHE}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # What every gunicorn process on this machine must agree on (rate-limit counts); a per-process
        # memory cache could not. Its counts are atomic.
        "shared": {
            "BACKEND": "outsourcing_site.caches.FileCacheWithAtomicCounts",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / ".cache")),
        },
    }
# Cached pages (outsourcing_site/page_cache.py) live in each process's memory: their keys carry the content
# version, a database row each process reads again at most once every CONTENT_VERSION_SECONDS, so a hit
# costs a memory lookup and an edit on any server shows everywhere within that interval.
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
CONTENT_VERSION_SECONDS = env_int("CONTENT_VERSION_SECONDS", 1)
# The same stamp keys what each process keeps of published rows between requests (editorial/kept.py): a quiz's
# questions with their choices, the navigation's models.
CONTENT_VERSION_SOURCE = "outsourcing_site.page_cache.content_version"
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "outsourcing_site.cache"

# Anonymous readers' copies of /, the model pages and /quiz/ (outsourcing_site/page_cache.py). Edits make them stale
# within CONTENT_VERSION_SECONDS; this bounds how long an entry lives if content changed behind the ORM's back.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded images. By default files in MEDIA_ROOT served by the site itself (outsourcing_site.media);
# with several servers, point DJANGO_MEDIA_STORAGE at shared object storage (README: "Uploaded images").
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("DJANGO_MEDIA_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_ADD_HEADERS_FUNCTION = cache_hashed_files_for_a_year

CONTENT_DATA_DIR = Path(os.environ.get("CONTENT_DATA_DIR", BASE_DIR / "content" / "data"))
# Loaders run by load_content/export_content, in order; each owns part of the data folder.
CONTENT_LOADERS = [
    "content.loading.ExplainerLoader",
    "quiz.loading.QuizLoader",
]

MARKDOWNX_MARKDOWNIFY_FUNCTION = "content.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"
# Images dropped into the Markdown editor (content/images.py): decoded, checked, re-encoded, stored here.
MARKDOWN_IMAGE_DIR = "markdown-images"
MARKDOWN_IMAGE_MAX_BYTES = int(os.environ.get("MARKDOWN_IMAGE_MAX_BYTES", 5 * 1024 * 1024))
MARKDOWN_IMAGE_MAX_PIXELS = int(os.environ.get("MARKDOWN_IMAGE_MAX_PIXELS", 25_000_000))
# Markdown fields (content/markdown.py): the longest text accepted, and how long converting one may take
# (in a helper process that is killed then) before the text is refused.
MARKDOWN_MAX_CHARACTERS = env_int("MARKDOWN_MAX_CHARACTERS", 20_000)
MARKDOWN_RENDER_SECONDS = env_int("MARKDOWN_RENDER_SECONDS", 2)

# Security headers and cookies. Production (DJANGO_ENV=production) is HTTPS-only.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", PRODUCTION)
# e.g. "X-Forwarded-Proto" when a proxy in front terminates TLS and sets that header.
if proxy_ssl_header():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_ssl_header().upper().replace("-", "_"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# One policy for the whole site, admin included: everything from our own origin, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", *([MEDIA_URL] if MEDIA_URL.startswith("https://") else [])],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# Abuse limits. Behind a proxy, DJANGO_TRUSTED_PROXY_COUNT says how many proxies append to
# X-Forwarded-For, so that the client address (outsourcing_site.clients) cannot be forged.
TRUSTED_PROXY_COUNT = trusted_proxy_count()
AXES_CLIENT_IP_CALLABLE = "outsourcing_site.clients.client_ip"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_LOCKOUT_CALLABLE = "outsourcing_site.views.locked_out"
AXES_RESET_ON_SUCCESS = True
RATELIMIT_IP_META_KEY = "outsourcing_site.clients.client_ip"
RATELIMIT_FAIL_OPEN = True
RATELIMIT_USE_CACHE = "shared"
QUIZ_START_RATE = os.environ.get("QUIZ_START_RATE", "20/h")
QUIZ_PRACTICE_RATE = os.environ.get("QUIZ_PRACTICE_RATE", "20/h")
# purge_attempts deletes review links (and their schedules) nobody has used for this many days.
REVIEW_PLAN_RETENTION_DAYS = env_int("REVIEW_PLAN_RETENTION_DAYS", 90)
# Item analysis flags a question only once it has this many answers: fewer say too little to judge it by.
QUIZ_ANALYSIS_MIN_ANSWERS = env_int("QUIZ_ANALYSIS_MIN_ANSWERS", 30)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# The largest content a request may carry, by address; elsewhere DATA_UPLOAD_MAX_MEMORY_SIZE. A larger body is
# refused with 413 before anything reads it (outsourcing_site/request_bodies.py).
REQUEST_BODY_LIMITS = {MARKDOWNX_UPLOAD_URLS_PATH: MARKDOWN_IMAGE_MAX_BYTES}
# Every body the limits let through is parsed in memory, so nothing a request sends is written to disk.
FILE_UPLOAD_MAX_MEMORY_SIZE = max(REQUEST_BODY_LIMITS.values()) + 64 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "class": "outsourcing_site.logs.OneLineFormatter",
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s",
        },
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "line"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Our request log replaces Django's own lines for the same requests.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
