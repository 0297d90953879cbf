"""Every setting of the installation, read from the environment.

One module, one table in the README. Each knob has a safe default for the embedded set-up
(SQLite, jobs in-process, localhost) and is overridden by an environment variable in
production.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import logs, storage
from config.environment import envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = envbool("DEBUG")

# A development key is handed out only with DEBUG=1: a production server must never start
# with a key that is published in this repository.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string, "
            "or set DEBUG=1 to run with a development key."
        )
    SECRET_KEY = "development-only-key-never-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "axes",
    # allauth's security-key list says "last used 3 minutes ago" with it.
    "django.contrib.humanize",
    # Before allauth, so that its templates (the sign-in page, allauth's frame) win.
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "commissioning",
    "contracts",
    "dialogue",
    "workers",
    "notifications",
    "pages",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Oversized bodies are refused before anything reads them; a lost database connection
    # answers 503 "nothing was saved, try again" (not a 500); pages get the
    # Content-Security-Policy header.
    "commissioning.middleware.RequestSizeLimitMiddleware",
    "commissioning.middleware.DatabaseUnavailableMiddleware",
    "commissioning.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's own language and time zone win on their pages (Profile).
    "commissioning.middleware.PersonalPreferencesMiddleware",
    # API answers and signed-in pages: Cache-Control: private, no-store.
    "commissioning.middleware.PrivateAnswersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-allauth's sign-in stages (two-factor, email verification) keep their state here.
    "allauth.account.middleware.AccountMiddleware",
    # With REQUIRE_TWO_FACTOR_FOR_STAFF, purchaser staff set up two-factor before anything else.
    "accounts.two_factor.TwoFactorSetUpMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commissioning.web.context.pages",
                "notifications.web.context.unread",
            ],
        },
    },
]

# The embedded default is a SQLite file beside the code; production and the test suite use
# PostgreSQL through psycopg 3 (postgres://user:password@host:5432/name).
# DATABASE_CONN_MAX_AGE > 0 keeps each server thread's connection between requests (a new
# PostgreSQL backend per request costs more than a page of 10 rows: bench/over_http.py);
# a kept connection is checked before a request uses it, so one lost in a database restart
# is replaced rather than failing that request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes checks every sign-in first (web pages, admin and the API's token endpoint), so
# guessing passwords is locked out after AXES_FAILURE_LIMIT failures from one address for
# one user name, for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # django-allauth's backend: a user name or an email address, and a password.
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "commissioning.web.sign_in.locked_out"
AXES_USERNAME_CALLABLE = "commissioning.web.sign_in.username_for_lockout"
AXES_VERBOSE = False

LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

# django-allauth: accounts, password reset, email verification, two-factor and single
# sign-on (README "How people join"). People join by invitation only (accounts.adapters).
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Addresses are verified when they are added or changed; an invitation's link proves the
# address it was sent to.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# The reset form answers the same whether or not an account has the address, and sends
# nothing to an address no account has.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Signed in until signing out or the session cookie expires, as before allauth.
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("RATE_LIMIT_SIGN_IN_FAILED", "10/m/ip,5/5m/key"),
    "reset_password": os.environ.get("RATE_LIMIT_PASSWORD_RESET", "20/m/ip,5/m/key"),
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
# Days an invitation's link works (accounts.services.invitations); a resend starts them again.
INVITATION_DAYS = envint("INVITATION_DAYS", 7, minimum=1)

# A meeting recorded more than this many days after it took place is back-filled: it asks no
# trust pulse and sends no minutes notice (dialogue.models.Meeting.logged_late). The default
# keeps a log written a week late working as a fresh one.
BACKFILL_QUIET_DAYS = envint("BACKFILL_QUIET_DAYS", 14, minimum=0)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# Signing in through an identity provider starts with a link, not a form: a form's answer
# that redirects to the provider breaks the Content-Security-Policy's form-action 'self' in
# browsers (which check every redirect of a form submission). A link can only start the
# person's own sign-in (state and PKCE bind the answer to their session); linking another
# identity to a signed-in person needs the person's own verified address (accounts.adapters).
SOCIALACCOUNT_LOGIN_ON_GET = True
SOCIALACCOUNT_STORE_TOKENS = False
# Identity providers are SocialApps the administrator adds in the admin site, each with a rule
# of what it may do (accounts.models.IdentityProviderRule); every one uses PKCE.
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_ADAPTER = "accounts.two_factor.MFAAdapter"
MFA_FORMS = {
    "add_webauthn": "accounts.two_factor.AddSecurityKeyForm",
    "edit_webauthn": "accounts.two_factor.RenameSecurityKeyForm",
}
# Purchaser staff (commissioning managers and officers) must sign in with two-factor: one
# without it is taken to set it up before any other page, and the API refuses them until then.
REQUIRE_TWO_FACTOR_FOR_STAFF = envbool("REQUIRE_TWO_FACTOR_FOR_STAFF")
MFA_PASSKEY_LOGIN_ENABLED = True
# An authenticator app's code is accepted for one 30-second step either side of now (RFC 6238
# section 6): phones' clocks drift, and a code typed as its step ends was refused (allauth's
# default is 0). Each code still works only once.
MFA_TOTP_TOLERANCE = 1
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Commissioning dialogue")
# Browsers allow WebAuthn on http://localhost only; the embedded default runs there.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("sv", _("Swedish")), ("nb", _("Norwegian Bokmål"))]
FORMAT_MODULE_PATH = ["config.formats"]  # one date style per language, as the PDFs write it
LOCALE_PATHS = [BASE_DIR / "commissioning" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# PDFs and uploads: this machine's disk, or with S3_BUCKET an object store (config/storage.py).
STORAGES = storage.storages(os.environ)

# Email: the console backend prints messages in development; production names an SMTP server.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dialogue@localhost")
# For the file-based backend (django.core.mail.backends.filebased.EmailBackend).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))
# Absolute base of links in emails (trust pulses, unsubscribe, downloads).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# Celery: with no broker configured (the embedded default) every job runs in-process, so the
# demo needs no Redis. Production sets CELERY_BROKER_URL=redis://host:6379/0.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
# A task is acknowledged when it has finished, and given back when its worker dies, so a
# PDF render killed half-way is done again (every task is safe to run twice).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis gives an unacknowledged task to another worker after this many seconds: longer than
# the longest job (a briefing renders in seconds), short enough that a crash is soon mended.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 600)}
CELERY_TASK_DEFAULT_QUEUE = "default"
# Routed by task name. Each task keeps the name it was first deployed under (given with
# name= where it no longer matches its module), because the periodic-task rows and the
# messages already queued carry it: a renamed task would leave them unregistered.
CELERY_TASK_ROUTES = {
    "workers.document_tasks.*": {"queue": "pdf"},
    "workers.pulse_tasks.*": {"queue": "followups"},
    "workers.reminder_tasks.*": {"queue": "followups"},
    "notifications.*": {"queue": "followups"},
}
# The periodic schedule lives in the database, editable in the admin (django-celery-beat).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_ACCEPT_CONTENT = ["json"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API request answers 401 with WWW-Authenticate. A
        # person's named tokens (accounts.models.ApiToken), looked up by their SHA-256.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Signed in and still a member of an organisation; and for a write, a role that may
    # write to the endpoint at all, decided before the body is read (the view's `writers`).
    "DEFAULT_PERMISSION_CLASSES": [
        # Signed in and still a member of an organisation (or an installation administrator).
        "commissioning.api.permissions.MembersOnly",
        # REQUIRE_TWO_FACTOR_FOR_STAFF: staff without two-factor get 403 until they set it up.
        "accounts.two_factor.TwoFactorSetUp",
        "commissioning.api.permissions.WritersOnly",
    ],
    "DEFAULT_PAGINATION_CLASS": "commissioning.api.pagination.BoundedPageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "commissioning.api.filters.VisibleFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # drf-spectacular's, documenting every operation's refusals in the one error shape.
    "DEFAULT_SCHEMA_CLASS": "commissioning.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "commissioning.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        # DRF's JSON renderer encoding with orjson (bench/over_http.py: a page of 100 rows).
        "commissioning.api.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # DRF's JSON parser with a depth limit: a body of a thousand nested arrays is a 400.
    "DEFAULT_PARSER_CLASSES": ["commissioning.api.parsers.DepthLimitedJSONParser"],
}

# --- Security: HTTPS, headers, throttling, request sizes ---------------------------------
#
# An installation served over HTTPS (SITE_URL starts with https://) gets the secure defaults
# below; each one can still be set on its own. The demo and the test suite run on plain
# http://localhost, where secure cookies and redirects to HTTPS would lock everyone out.
HTTPS = SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1" if HTTPS else "0")
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "1" if HTTPS else "0")
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", "1" if HTTPS else "0")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1")
# Preloading binds the domain to HTTPS in browsers for years: the owner of the domain
# decides it and submits it to hstspreload.org.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD")
# So `check --deploy` does not warn (security.W021) while preload is off: the warning would
# stand on every installation until its domain's owner submits the domain, which is theirs
# to decide, not the installation's; the README and SECURITY.md say when to turn it on. Only
# this check is silenced: HSTS itself (W004), redirects, cookies and the rest still warn.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Behind a proxy that ends TLS, name the header it sets (X-Forwarded-Proto), or every
# request looks like http and SECURE_SSL_REDIRECT redirects for ever. Only with a proxy
# that overwrites the header: otherwise a client could claim https.
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY", "same-origin")
X_FRAME_OPTIONS = "DENY"
# Scripts only from this installation (the XSS defence that matters); inline styles are
# allowed because htmx adds its indicator style and the pulse page carries its own.
# CONTENT_SECURITY_POLICY= (empty) switches the header off.
HTTPS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY", HTTPS_CONTENT_SECURITY_POLICY if HTTPS else ""
).strip()
# drf-spectacular's Swagger page starts itself with an inline script; it loads only this
# installation's static files (SIDECAR).
CONTENT_SECURITY_POLICY_EXEMPT = ["/api/docs/"]

# The cache holds the throttles' counts: shared by every gunicorn worker when it is Redis
# (production), per process otherwise.
# An unreachable Redis fails a cache call within REDIS_CACHE_TIMEOUT seconds (to connect, and
# to answer) rather than hold the request; the throttles then count per process.
if os.environ.get("REDIS_CACHE_URL"):
    try:
        _redis_cache_timeout = float(os.environ.get("REDIS_CACHE_TIMEOUT") or 0.5)
    except ValueError as exc:
        raise ImproperlyConfigured("REDIS_CACHE_TIMEOUT must be a number of seconds.") from exc
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_CACHE_URL"],
            "OPTIONS": {
                "socket_connect_timeout": _redis_cache_timeout,
                "socket_timeout": _redis_cache_timeout,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Writes per signed-in person and per anonymous address, and pulse pages per address:
# "number/period" with period second, minute, hour or day. A person typing comments in a
# closing consultation stays far below 120 a minute; a script hammering the API does not.
THROTTLE_RATES = {
    "user_writes": os.environ.get("THROTTLE_USER_WRITES", "120/minute"),
    "anon_writes": os.environ.get("THROTTLE_ANON_WRITES", "20/minute"),
    "pulse": os.environ.get("THROTTLE_PULSE", "30/minute"),
    # Attempts at the API's token endpoint per address, whatever the user name.
    "token": os.environ.get("THROTTLE_TOKEN", "10/minute"),
}
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "commissioning.api.throttling.UserWriteThrottle",
    "commissioning.api.throttling.AnonymousWriteThrottle",
]
# How many proxies in front of the server append to X-Forwarded-For: the client's address
# is the one they saw. 0 (the default) uses the connection's address, so nobody can pick
# their own address by sending the header.
REST_FRAMEWORK["NUM_PROXIES"] = envint("NUM_PROXIES", 0)

# Request sizes, checked on Content-Length before anything reads the body (DRF's JSON
# parser does not apply DATA_UPLOAD_MAX_MEMORY_SIZE). Evidence documents are the one upload
# (the admin's milestone page; the API takes evidence as links and references), limited to
# EVIDENCE_MAX_UPLOAD_MB; every other body, JSON or form, to DATA_UPLOAD_MAX_MEMORY_SIZE.
EVIDENCE_MAX_UPLOAD_MB = envint("EVIDENCE_MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)  # 2.5 MB
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)

SPECTACULAR_SETTINGS = {
    "TITLE": "Commissioning dialogue and contract tracker",
    "DESCRIPTION": (
        "Purchasers, providers and politicians: programmes, contracts, rulebooks, "
        "consultations, meetings and the audit trail. Writes name the organisation they "
        "act for in the X-Acting-For header."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from this installation, not a CDN: works on closed networks.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One named schema enum per choice set, so clients get ContractStatusEnum rather than
    # Status214Enum.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "commissioning.models.Organisation.Kind",
        "OwnershipEnum": "commissioning.models.Organisation.Ownership",
        "MembershipRoleEnum": "commissioning.models.Membership.Role",
        "FrameworkEnum": "commissioning.models.Programme.Framework",
        "ProgrammePhaseEnum": "commissioning.models.Programme.Phase",
        "LanguageEnum": "commissioning.models.Programme.Language",
        "MilestoneKindEnum": "commissioning.models.MilestoneKind",
        "MilestoneStatusEnum": "commissioning.models.Milestone.Status",
        "EvidenceKindEnum": "commissioning.models.MilestoneEvidence.Kind",
        "ContractKindEnum": "contracts.models.Contract.Kind",
        "ContractStatusEnum": "contracts.models.Contract.Status",
        "ContractPartyRoleEnum": "contracts.models.ContractParty.Role",
        "CadenceEnum": "contracts.models.Obligation.Cadence",
        "RulebookVersionStatusEnum": "contracts.models.RulebookVersion.Status",
        "ArenaKindEnum": "dialogue.models.Arena.Kind",
        "MeetingStatusEnum": "dialogue.models.Meeting.Status",
        "AttendanceStatusEnum": "dialogue.models.AttendanceEntry.Status",
        "AgendaItemKindEnum": "dialogue.models.AgendaItem.Kind",
        "ActionItemStatusEnum": "dialogue.models.ActionItem.Status",
        "ConcernStatusEnum": "dialogue.models.Concern.Status",
        "DocumentKindEnum": "workers.models.Document.Kind",
        "DocumentStatusEnum": "workers.models.Document.Status",
        "NotificationKindEnum": "notifications.models.KIND_CHOICES",
        "NotificationDeliveryEnum": "notifications.kinds.Delivery",
    },
}

# --- Health probes (config/health.py) ---------------------------------------------------
# The readiness answer is "degraded" when the oldest unrelayed Event is older than this
# (seconds): the relay sweep runs every minute, so minutes of lag mean it is not keeping up.
RELAY_LAG_DEGRADED_AFTER = envint("RELAY_LAG_DEGRADED_AFTER", 300)

# --- Logs (config/logs.py) ------------------------------------------------------------
# LOG_FORMAT=json: one JSON object a line (a line per request and per task, with the request
# id, person and acting organisation ids, status and duration); text (the default) for people.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower() or "text"
if LOG_FORMAT not in logs.FORMATS:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = logs.logging_settings(
    LOG_FORMAT, os.environ.get("LOG_LEVEL", "INFO"), eager=CELERY_TASK_ALWAYS_EAGER
)
logs.configure_structlog()
INSTALLED_APPS += ["django_structlog"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("commissioning.middleware.RequestSizeLimitMiddleware"),
    "django_structlog.middlewares.RequestMiddleware",
)
DJANGO_STRUCTLOG_CELERY_ENABLED = True
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False  # addresses are personal data; the proxy logs them
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logs.QUIET_START
DJANGO_STRUCTLOG_CELERY_TASK_START_LOG_LEVEL = logs.QUIET_START
# The person is bound by commissioning.request_log once resolved, never looked up for a log.
DJANGO_STRUCTLOG_USER_ID_FIELD = None
