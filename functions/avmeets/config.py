"""All configuration, declared once.

Deploy-time settings are Functions SDK params (``firebase_functions.params``): declared here with
their defaults and descriptions, so ``firebase deploy`` knows every one of them, and given
values by the Firebase CLI from ``functions/.env`` (the defaults, committed), ``.env.<project>``
and, in the emulator only, ``.env.local`` (written by each nox session, tools/emulators.py).
At run time they are environment variables, which ``Settings.from_env`` reads with bounds and
clear errors: the one place that does. Function secrets (``TURN_SECRET``) are environment
variables too: Cloud Functions sets them for the functions that declare them (``secrets=[...]``
in main.py), and the emulator reads them from ``functions/.secret.local`` (never committed) or
the environment. The emulator hosts and the project come from the runtime, not from params.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final

from firebase_functions import params

from . import turn

# The promise to users: nothing about a call is kept longer than a week.
MAX_RETENTION_DAYS = 7
DEFAULT_ICE_SERVERS: tuple[dict[str, Any], ...] = ({"urls": ["stun:stun.l.google.com:19302"]},)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
#: The default bucket Firebase creates for a project (since October 2024; older projects have
#: ``<project>.appspot.com`` and set STORAGE_BUCKET). docs/deploy.md.
DEFAULT_BUCKET_SUFFIX: Final = ".firebasestorage.app"
_BUCKET_NAME: Final = re.compile(r"[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]")

# --- deploy-time settings (Functions SDK params) -------------------------------------------------

MAX_PARTICIPANTS: Final = params.IntParam(
    "MAX_PARTICIPANTS", default=8, description="Most participants in one meeting (at least 2)."
)
XFF_TRUSTED_POSITION: Final = params.IntParam(
    "XFF_TRUSTED_POSITION",
    default=1,
    description="Which X-Forwarded-For entry, counted from the right, is the caller's IP.",
)
PASSWORD_MAX_FAILURES: Final = params.IntParam(
    "PASSWORD_MAX_FAILURES", default=5, description="Wrong meeting passwords before a lockout."
)
PASSWORD_LOCKOUT_SECONDS: Final = params.IntParam(
    "PASSWORD_LOCKOUT_SECONDS", default=15 * 60, description="How long a lockout lasts."
)
RETENTION_DAYS: Final = params.IntParam(
    "RETENTION_DAYS",
    default=7,
    description=f"Days records are kept, 1 to {MAX_RETENTION_DAYS} (organisations may shorten).",
)
SIGN_IN_ORG: Final = params.StringParam(
    "SIGN_IN_ORG",
    default="",
    description="When set, only members of this organisation (orgs/{id}) may sign in.",
)
ICE_SERVERS: Final = params.StringParam(
    "ICE_SERVERS",
    default=json.dumps(list(DEFAULT_ICE_SERVERS)),
    description="JSON list of RTCIceServer dictionaries without credentials (STUN).",
)
GEOIP_CITY_DB: Final = params.StringParam(
    "GEOIP_CITY_DB", default="", description="GeoLite2 City database (relative to functions/)."
)
GEOIP_ASN_DB: Final = params.StringParam(
    "GEOIP_ASN_DB", default="", description="GeoLite2 ASN database (relative to functions/)."
)
HEARTBEAT_SECONDS: Final = params.IntParam(
    "HEARTBEAT_SECONDS",
    default=300,
    description="How often a participant beats (writes its presence document).",
)
HEARTBEAT_TIMEOUT_SECONDS: Final = params.IntParam(
    "HEARTBEAT_TIMEOUT_SECONDS",
    default=660,
    description="Silence after which the sweep closes a participant out.",
)
KNOCK_SECONDS: Final = params.IntParam(
    "KNOCK_SECONDS", default=20, description="How often a waiting knocker knocks again."
)
KNOCK_TIMEOUT_SECONDS: Final = params.IntParam(
    "KNOCK_TIMEOUT_SECONDS",
    default=60,
    description="Silence after which a waiting knock is withdrawn.",
)
REPORTS_PER_MINUTE: Final = params.IntParam(
    "REPORTS_PER_MINUTE", default=30, description="Connection reports per leg and side a minute."
)
MAX_STORED_CDRS: Final = params.IntParam(
    "MAX_STORED_CDRS",
    default=1_000_000,
    description="Under load the purge keeps at most this many CDR legs, oldest deleted first.",
)
MEETING_IDLE_HOURS: Final = params.IntParam(
    "MEETING_IDLE_HOURS", default=24, description="Meetings without a join this long are removed."
)
ORG_CACHE_SECONDS: Final = params.IntParam(
    "ORG_CACHE_SECONDS",
    default=60,
    description="How long an instance reuses an organisation's policy it read (0: never).",
)
REVOCATION_CACHE_SECONDS: Final = params.IntParam(
    "REVOCATION_CACHE_SECONDS",
    default=60,
    description="How long an instance trusts an account's revocation state it read (0: never).",
)
LOG_LEVEL: Final = params.StringParam(
    "LOG_LEVEL",
    default="INFO",
    description="Level of the functions' own log lines.",
    input=params.SelectInput([params.SelectOption(level) for level in LOG_LEVELS]),
)
TURN_URLS: Final = params.ListParam(
    "TURN_URLS",
    default=[],
    description="TURN URLs handed to participants (turn:host:port?transport=udp, turns:...).",
)
TURN_TTL_SECONDS: Final = params.IntParam(
    "TURN_TTL_SECONDS", default=3600, description="Lifetime of a TURN credential (60 s to 7 days)."
)
STORAGE_BUCKET: Final = params.StringParam(
    "STORAGE_BUCKET",
    default="",
    description="Bucket of the organisation store (empty: <project>.firebasestorage.app).",
)

#: Every deploy-time setting; functions/.env gives each its default
#: (tests/unit/test_config_params.py).
DEPLOY_PARAMS: Final[tuple[params.IntParam | params.StringParam | params.ListParam, ...]] = (
    MAX_PARTICIPANTS,
    XFF_TRUSTED_POSITION,
    PASSWORD_MAX_FAILURES,
    PASSWORD_LOCKOUT_SECONDS,
    RETENTION_DAYS,
    SIGN_IN_ORG,
    ICE_SERVERS,
    GEOIP_CITY_DB,
    GEOIP_ASN_DB,
    HEARTBEAT_SECONDS,
    HEARTBEAT_TIMEOUT_SECONDS,
    KNOCK_SECONDS,
    KNOCK_TIMEOUT_SECONDS,
    REPORTS_PER_MINUTE,
    MAX_STORED_CDRS,
    MEETING_IDLE_HOURS,
    ORG_CACHE_SECONDS,
    REVOCATION_CACHE_SECONDS,
    LOG_LEVEL,
    TURN_URLS,
    TURN_TTL_SECONDS,
    STORAGE_BUCKET,
)


def _default(param: Any) -> Any:
    return param.default


def _int(param: params.IntParam) -> int:
    return int(_default(param))


@dataclass(frozen=True)
class Settings:
    """Typed settings of one function instance."""

    project_id: str = "demo-avmeets"
    # Firestore emulator host; when set, the admin client talks to it without credentials.
    firestore_emulator_host: str | None = None
    # Auth emulator host; when set, firebase-admin's auth calls go to it.
    auth_emulator_host: str | None = None
    max_participants: int = _int(MAX_PARTICIPANTS)
    # Position in X-Forwarded-For, counted from the right (1 = last entry), that the trusted
    # front end appended. Entries left of it are client-controlled and never used.
    xff_trusted_position: int = _int(XFF_TRUSTED_POSITION)
    password_max_failures: int = _int(PASSWORD_MAX_FAILURES)
    password_lockout_seconds: int = _int(PASSWORD_LOCKOUT_SECONDS)
    retention_days: int = _int(RETENTION_DAYS)
    # When set, only members of this organisation (by email domain) may sign in.
    sign_in_org: str | None = None
    ice_servers: tuple[dict[str, Any], ...] = field(default=DEFAULT_ICE_SERVERS)
    # GeoIP2 / GeoLite2 databases (City layout and ASN layout); None: location unknown.
    geoip_city_db: str | None = None
    geoip_asn_db: str | None = None
    # A participant beats every heartbeat_seconds; silent for heartbeat_timeout_seconds, it is
    # closed out by the sweep with end cause "heartbeat-timeout". Sparse on purpose: a steady
    # call costs one write per beat; a vanished peer's legs end by the others' reports.
    heartbeat_seconds: int = _int(HEARTBEAT_SECONDS)
    heartbeat_timeout_seconds: int = _int(HEARTBEAT_TIMEOUT_SECONDS)
    # A waiting knocker knocks again every knock_seconds; a knock silent for
    # knock_timeout_seconds is withdrawn (the hosts see who is really waiting).
    knock_seconds: int = _int(KNOCK_SECONDS)
    knock_timeout_seconds: int = _int(KNOCK_TIMEOUT_SECONDS)
    # Status/stat reports per participant and leg within one minute before RESOURCE_EXHAUSTED.
    reports_per_minute: int = _int(REPORTS_PER_MINUTE)
    # Under load the purge keeps at most this many CDR legs, deleting the oldest first.
    max_stored_cdrs: int = _int(MAX_STORED_CDRS)
    # Meetings with no join for this long are ended and removed by the purge.
    meeting_idle_hours: int = _int(MEETING_IDLE_HOURS)
    # The policy check at every callable (services.policy) reads organisations and, for the
    # accounts a policy applies to, the account's revocation state; an instance reuses what it
    # read for this long (so a block or a revocation takes effect within it).
    org_cache_seconds: int = _int(ORG_CACHE_SECONDS)
    revocation_cache_seconds: int = _int(REVOCATION_CACHE_SECONDS)
    # Level of the "avmeets" loggers (JSON entries for Cloud Logging, avmeets.logs). Log lines
    # carry meeting ids and uids for operations; never passwords, hashes, SDP or candidates.
    log_level: str = str(_default(LOG_LEVEL))
    # TURN relays handed to participants with ephemeral credentials (coturn REST API, see
    # avmeets.turn); both must be set for TURN to be offered. The secret is never shown in repr.
    turn_urls: tuple[str, ...] = ()
    turn_secret: str | None = field(default=None, repr=False)
    turn_ttl_seconds: int = _int(TURN_TTL_SECONDS)
    # The organisation store's bucket (avmeets.store.objects): files, recordings, whiteboards.
    # None: the project's default Firebase bucket, ``<project>.firebasestorage.app``.
    storage_bucket_name: str | None = None
    # Cloud Storage emulator (fake-gcs-server) URL; when set, google-cloud-storage talks to it
    # without credentials.
    storage_emulator_host: str | None = None

    @property
    def turn_enabled(self) -> bool:
        return bool(self.turn_urls) and bool(self.turn_secret)

    @property
    def storage_bucket(self) -> str:
        """The bucket of the organisation store."""
        return self.storage_bucket_name or f"{self.project_id}{DEFAULT_BUCKET_SUFFIX}"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from an environment mapping; raise ValueError on a bad value."""

        def raw(param: Any) -> str:
            return env.get(param.name, "").strip()

        def integer(param: params.IntParam, minimum: int = 0, maximum: int | None = None) -> int:
            name, text = param.name, raw(param)
            if not text:
                return _int(param)
            try:
                value = int(text)
            except ValueError:
                raise ValueError(f"{name} must be an integer, not {text!r}") from None
            if value < minimum:
                raise ValueError(f"{name} must be at least {minimum}, not {value}")
            if maximum is not None and value > maximum:
                raise ValueError(f"{name} must be at most {maximum}, not {value}")
            return value

        ice_raw = raw(ICE_SERVERS) or str(_default(ICE_SERVERS))
        parsed = json.loads(ice_raw)
        if not isinstance(parsed, list) or not all(
            isinstance(s, dict) and "urls" in s for s in parsed
        ):
            raise ValueError("ICE_SERVERS must be a JSON list of {urls: [...]} objects")

        return cls(
            project_id=env.get("GCLOUD_PROJECT")
            or env.get("GOOGLE_CLOUD_PROJECT")
            or "demo-avmeets",
            firestore_emulator_host=env.get("FIRESTORE_EMULATOR_HOST") or None,
            auth_emulator_host=env.get("FIREBASE_AUTH_EMULATOR_HOST") or None,
            max_participants=integer(MAX_PARTICIPANTS, minimum=2),
            xff_trusted_position=integer(XFF_TRUSTED_POSITION, minimum=1),
            password_max_failures=integer(PASSWORD_MAX_FAILURES, minimum=1),
            password_lockout_seconds=integer(PASSWORD_LOCKOUT_SECONDS, minimum=1),
            retention_days=integer(RETENTION_DAYS, minimum=1, maximum=MAX_RETENTION_DAYS),
            sign_in_org=raw(SIGN_IN_ORG) or None,
            ice_servers=tuple(parsed),
            geoip_city_db=raw(GEOIP_CITY_DB) or None,
            geoip_asn_db=raw(GEOIP_ASN_DB) or None,
            heartbeat_seconds=integer(HEARTBEAT_SECONDS, minimum=1),
            heartbeat_timeout_seconds=integer(HEARTBEAT_TIMEOUT_SECONDS, minimum=2),
            knock_seconds=integer(KNOCK_SECONDS, minimum=1),
            knock_timeout_seconds=integer(KNOCK_TIMEOUT_SECONDS, minimum=2),
            reports_per_minute=integer(REPORTS_PER_MINUTE, minimum=1),
            max_stored_cdrs=integer(MAX_STORED_CDRS, minimum=1),
            meeting_idle_hours=integer(MEETING_IDLE_HOURS, minimum=1),
            org_cache_seconds=integer(ORG_CACHE_SECONDS, maximum=3600),
            revocation_cache_seconds=integer(REVOCATION_CACHE_SECONDS, maximum=3600),
            log_level=_log_level(env.get(LOG_LEVEL.name, str(_default(LOG_LEVEL)))),
            turn_urls=turn.parse_turn_urls(_list(raw(TURN_URLS))),
            # Only the functions that declare the secret see it; the others run without TURN.
            turn_secret=env.get("TURN_SECRET", "").strip() or None,
            turn_ttl_seconds=integer(TURN_TTL_SECONDS, minimum=60, maximum=7 * 24 * 3600),
            storage_bucket_name=_bucket_name(raw(STORAGE_BUCKET)),
            storage_emulator_host=env.get("STORAGE_EMULATOR_HOST") or None,
        )


def _list(value: str) -> str:
    """A list param's value as comma-separated text: the CLI writes ``a,b`` to .env files, Cloud
    Run may hold the JSON array ``["a","b"]`` (as ``ListParam.value`` reads it)."""
    if value.startswith("[") and value.endswith("]"):
        items = json.loads(value)
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValueError("TURN_URLS must be a list of TURN URLs")
        return ",".join(items)
    return value


def _bucket_name(value: str) -> str | None:
    """A bucket name as Cloud Storage allows it (without ``gs://``), or None when empty."""
    name = value.removeprefix("gs://").rstrip("/")
    if not name:
        return None
    if not _BUCKET_NAME.fullmatch(name) or ".." in name:
        raise ValueError(f"STORAGE_BUCKET is not a Cloud Storage bucket name: {value!r}")
    return name


def _log_level(value: str) -> str:
    level = value.strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ValueError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
    return level


@cache
def settings() -> Settings:
    """The settings of this instance, read once."""
    return Settings.from_env(os.environ)
