"""All configuration, declared once.

Values come from the environment, which the Firebase CLI fills from ``functions/.env`` (and
``.env.local`` in the emulator, ``.env.<project>`` per project). Function secrets (``TURN_SECRET``)
are environment variables too: Cloud Functions sets them for the functions that declare them
(``secrets=[...]`` in main.py), and the emulator reads them from ``functions/.secret.local`` (never
committed) or the environment. Nothing else in the package reads ``os.environ``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from . import turn

# The promise to users: nothing about a call is kept longer than a week.
MAX_RETENTION_DAYS = 7
DEFAULT_ICE_SERVERS: tuple[dict[str, Any], ...] = ({"urls": ["stun:stun.l.google.com:19302"]},)


@dataclass(frozen=True)
class Settings:
    """Typed settings of one function instance."""

    project_id: str = "demo-avmeets"
    # Firestore emulator host; when set, the admin client talks to it without credentials.
    firestore_emulator_host: str | None = None
    # Auth emulator host; when set, firebase-admin's auth calls go to it.
    auth_emulator_host: str | None = None
    max_participants: int = 8
    # Position in X-Forwarded-For, counted from the right (1 = last entry), that the trusted
    # front end appended. Entries left of it are client-controlled and never used.
    xff_trusted_position: int = 1
    password_max_failures: int = 5
    password_lockout_seconds: int = 15 * 60
    retention_days: int = 7
    # When set, only members of this organisation (by email domain) may sign in.
    sign_in_org: str | None = None
    ice_servers: tuple[dict[str, Any], ...] = field(default=DEFAULT_ICE_SERVERS)
    # GeoIP2 / GeoLite2 databases (City layout and ASN layout); None: location unknown.
    geoip_city_db: str | None = None
    geoip_asn_db: str | None = None
    # A client heartbeats every heartbeat_seconds; silent for heartbeat_timeout_seconds, it is
    # closed out by the sweep with end cause "heartbeat-timeout".
    heartbeat_seconds: int = 20
    heartbeat_timeout_seconds: int = 60
    # Status/stat reports per participant and leg within one minute before RESOURCE_EXHAUSTED.
    reports_per_minute: int = 30
    # Under load the purge keeps at most this many CDR legs, deleting the oldest first.
    max_stored_cdrs: int = 1_000_000
    # Meetings with no join for this long are ended and removed by the purge.
    meeting_idle_hours: int = 24
    # Level of the "avmeets" loggers (to stderr, which Cloud Logging captures). Log lines carry
    # meeting ids and uids for operations; never passwords, hashes, SDP or candidates.
    log_level: str = "INFO"
    # TURN relays handed to participants with ephemeral credentials (coturn REST API, see
    # avmeets.turn); both must be set for TURN to be offered. The secret is never shown in repr.
    turn_urls: tuple[str, ...] = ()
    turn_secret: str | None = field(default=None, repr=False)
    turn_ttl_seconds: int = 3600

    @property
    def turn_enabled(self) -> bool:
        return bool(self.turn_urls) and bool(self.turn_secret)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from an environment mapping; raise ValueError on a bad value."""

        def integer(name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise ValueError(f"{name} must be an integer, not {raw!r}") from None
            if value < minimum:
                raise ValueError(f"{name} must be at least {minimum}, not {value}")
            if maximum is not None and value > maximum:
                raise ValueError(f"{name} must be at most {maximum}, not {value}")
            return value

        ice_raw = env.get("ICE_SERVERS", "").strip()
        ice: tuple[dict[str, Any], ...] = DEFAULT_ICE_SERVERS
        if ice_raw:
            parsed = json.loads(ice_raw)
            if not isinstance(parsed, list) or not all(
                isinstance(s, dict) and "urls" in s for s in parsed
            ):
                raise ValueError("ICE_SERVERS must be a JSON list of {urls: [...]} objects")
            ice = tuple(parsed)

        turn_urls = turn.parse_turn_urls(env.get("TURN_URLS", ""))

        return cls(
            project_id=env.get("GCLOUD_PROJECT")
            or env.get("GOOGLE_CLOUD_PROJECT")
            or "demo-avmeets",
            firestore_emulator_host=env.get("FIRESTORE_EMULATOR_HOST") or None,
            auth_emulator_host=env.get("FIREBASE_AUTH_EMULATOR_HOST") or None,
            max_participants=integer("MAX_PARTICIPANTS", 8, minimum=2),
            xff_trusted_position=integer("XFF_TRUSTED_POSITION", 1, minimum=1),
            password_max_failures=integer("PASSWORD_MAX_FAILURES", 5, minimum=1),
            password_lockout_seconds=integer("PASSWORD_LOCKOUT_SECONDS", 15 * 60, minimum=1),
            retention_days=integer("RETENTION_DAYS", 7, minimum=1, maximum=MAX_RETENTION_DAYS),
            sign_in_org=env.get("SIGN_IN_ORG", "").strip() or None,
            ice_servers=ice,
            geoip_city_db=env.get("GEOIP_CITY_DB", "").strip() or None,
            geoip_asn_db=env.get("GEOIP_ASN_DB", "").strip() or None,
            heartbeat_seconds=integer("HEARTBEAT_SECONDS", 20, minimum=1),
            heartbeat_timeout_seconds=integer("HEARTBEAT_TIMEOUT_SECONDS", 60, minimum=2),
            reports_per_minute=integer("REPORTS_PER_MINUTE", 30, minimum=1),
            max_stored_cdrs=integer("MAX_STORED_CDRS", 1_000_000, minimum=1),
            meeting_idle_hours=integer("MEETING_IDLE_HOURS", 24, minimum=1),
            log_level=_log_level(env.get("LOG_LEVEL", "INFO")),
            turn_urls=turn_urls,
            # Only the functions that declare the secret see it; the others run without TURN.
            turn_secret=env.get("TURN_SECRET", "").strip() or None,
            turn_ttl_seconds=integer("TURN_TTL_SECONDS", 3600, minimum=60, maximum=7 * 24 * 3600),
        )


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _log_level(value: str) -> str:
    level = value.strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ValueError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
    return level


@cache
def settings() -> Settings:
    """The settings of this instance, read once."""
    return Settings.from_env(os.environ)
