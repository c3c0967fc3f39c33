"""Default configuration; an instance's portal.toml and PORTAL_* variables override it."""
from datetime import timedelta

# Identity of this portal (set by `flask --app portal init`).
CLUSTER_ID = "passerelle"
CLUSTER_NAME = "Passerelle"
BASE_URL = "http://127.0.0.1:5000"
SECTOR = "mixed"
BRAND_COLOUR = "#1d4e89"
LOGO = None  # a file name in the instance folder, served at /brand/logo

SECRET_KEY = None  # generated at init, lives in the instance folder only
PASSWORD_METHOD = "scrypt"
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

# Mail: with no MAIL_SERVER, mail is written to the log and the UI says so.
MAIL_SERVER = None
MAIL_PORT = 25
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_USE_TLS = False
MAIL_FROM = "noreply@passerelle.example"
MAIL_TIMEOUT = 20  # seconds, per SMTP connection
MAIL_MAX_ATTEMPTS = 8  # temporary failures (4xx, network) are retried up to this many times
MAIL_RETRY_DELAY = 60  # seconds before the first retry, doubled at each attempt
MAIL_RETRY_MAX_DELAY = 6 * 3600
MAIL_SENDING_LEASE = 600  # a message left "sending" by a dead worker is retried after this
MAIL_BACKGROUND = True  # deliver right after a commit that queued mail (`flask mail send` is the guarantee)

# Accounts.
PASSWORD_RESET_MAX_AGE = 3600  # seconds a reset link stays valid

# Sessions and cookies.
SESSION_COOKIE_NAME = None  # None: passerelle-<cluster id>, one per portal (see security.configure_cookies)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = None  # None: on when BASE_URL is https (see security.configure_cookies)
REMEMBER_COOKIE_HTTPONLY = True
PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
PROXY_FIX = None  # e.g. {"x_for": 1, "x_proto": 1, "x_host": 1} behind one proxy
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HSTS_SECONDS = None  # e.g. 31536000, sent only with SESSION_COOKIE_SECURE (HTTPS only)

# Internationalisation.
LANGUAGES = ("en", "fr")
# The portal's default language (`init --language`): pages when the browser asks for none of
# LANGUAGES, and the mail and calendar feed of accounts with no language yet (imported, and
# not logged in since: signing up and logging in give an account the page's language).
BABEL_DEFAULT_LOCALE = "en"
BABEL_TRANSLATION_DIRECTORIES = "translations"

# Directory.
PAGE_SIZE = 20
LISTING_RENEW_DAYS = 180  # a renewed listing stays valid this long
LISTING_REMINDER_DAYS = 14  # its people are mailed this long before a listing leaves the directory

# B2B meetings.
MEETING_REQUEST_TTL_HOURS = 72  # an unanswered request is withdrawn after this
MEETING_REMINDER_BEFORE_HOURS = 24  # the recipient is reminded this long before expiry
MEETING_MAX_REQUESTS = 20  # open requests one person may have sent per event
MEETING_MAX_MEETINGS = 12  # accepted requests one person may have per event
SCHEDULER_TIME_LIMIT = 30  # seconds the solver may take
SCHEDULER_BACKGROUND = True  # run the solver in a thread (tests run it inline)

# Events.
EVENT_REMINDER_DAYS = 2  # confirmed members are reminded of an event this long before it starts

# Surveys (post-event and six months later).
SURVEY_SEND_WINDOW_DAYS = 30  # invitations go out at most this long after a stage opens
SURVEY_REMINDER_DAYS = 7  # one reminder this long after the invitation, to those who did not answer
SURVEY_LINK_DAYS = 30  # a personal survey link works this long after it was sent
SURVEY_MIN_GROUP = 3  # another cluster's answers are shown only in groups at least this large

# Federation.
FEDERATION_PAGE_DEFAULT = 500
FEDERATION_PAGE_MAX = 1000
FEDERATION_MAX_BODY = 64 * 1024
FEDERATION_MAX_ANSWER = 64 * 1024 * 1024  # bytes of a peer's answer, decompressed (a page of 1,000 records)
FEDERATION_CLOCK_SKEW = 300
FEDERATION_NONCE_TTL = 600
FEDERATION_TIMEOUT = 10  # seconds, per connection and per socket read
FEDERATION_ANSWER_TIMEOUT = 120  # seconds for a peer's whole answer (a trickle cannot hold a pull)
FEDERATION_PAGE_TIMEOUT = 20  # the same while someone waits on a page (within gunicorn's 60 s)
SYNC_INTERVAL = 60
NOTIFY_PEERS = True  # tests turn it off where notification is not the subject
NOTIFY_TIMEOUT = 3  # seconds; a slow peer never holds up a member's request
FEDERATION_RATE_LIMIT = "600/minute"  # per caller (keyid and address), Flask-Limiter syntax
SYNC_BACKOFF_BASE = 5  # seconds after a first failure, doubled per failure, with jitter
SYNC_BACKOFF_MAX = 3600
SYNC_THREADS = 4  # peers the worker pulls at the same time
# A long pull commits its pages, cursor included, about this often (seconds): each commit
# rewrites every index page the pages touched, and a transaction holds SQLite's write lock.
SYNC_COMMIT_SECONDS = 2.0

# Rate limits (Flask-Limiter); storage in memory unless configured.
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = True  # X-RateLimit-*; Retry-After only on a 429 (security.RetryAfterOnlyOn429)
# Per client address, on POST only (endpoints this build lacks are skipped); an event venue's wifi
# is one address for a whole audience, so log-ins count only when they fail and sign-ups only when
# they create an account or find its address taken (security.COUNTED).
ABUSE_LIMITS = {"accounts.login": "30 per minute; 300 per day", "accounts.signup": "5 per hour",
                "accounts.reset_request": "5 per hour", "accounts.change_password": "30 per minute; 300 per day",
                "privacy.delete": "30 per minute; 300 per day",
                # The survey links need no login; a venue's wifi may carry a whole audience's answers.
                "surveys.answer": "20 per minute; 200 per hour", "surveys.opt_out": "20 per minute; 200 per hour"}

# Operations.
LOG_REQUESTS = True  # one line per request on stderr (logger portal.request)
LOG_FORMAT = "text"  # "text" (key=value) or "json"
PG_BIN_DIR = None  # folder of pg_dump and pg_restore; when set, used instead of PATH
