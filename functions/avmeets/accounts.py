"""Firebase Auth accounts past retention are deleted, like the server's own copy of them.

Firebase Auth keeps an account (uid, name, email, provider data, sign-in times) for as long as
it exists. The server's copy of that identity (`identities/{uid}`) expires ``retention_days``
after the last sign-in; an account nobody has used for that long (no sign-in and no token
refresh, which a signed-in tab does hourly) is deleted too, so nothing about a person outlives
the retention period. Whoever comes back signs in again with Google and gets a new account.

``due`` is pure; ``purge_accounts`` does the I/O through firebase-admin (the Auth emulator when
FIREBASE_AUTH_EMULATOR_HOST is set).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

#: Most uids ``auth.delete_users`` takes in one call, and most users a listing page returns.
MAX_PER_CALL = 1000


@dataclass(frozen=True)
class Account:
    uid: str
    #: Latest of creation, last sign-in and last token refresh.
    last_active: datetime


@dataclass
class AccountsReport:
    """What one run deleted (or, in a dry run, would delete)."""

    now: datetime
    retention_days: int
    dry_run: bool
    due: int = 0
    deleted: int = 0
    #: uid -> reason, for accounts Auth refused to delete (left for the next run).
    failed: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "retentionDays": self.retention_days,
            "dryRun": self.dry_run,
            "due": self.due,
            "deleted": self.deleted,
            "failed": len(self.failed),
        }

    def __str__(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        n = self.due if self.dry_run else self.deleted
        line = f"accounts idle over {self.retention_days} days: {verb} {n}"
        return f"{line} ({len(self.failed)} failed)" if self.failed else line


def last_active(*millis: int | None) -> datetime | None:
    """The latest of the given epoch-millisecond times (Auth's metadata), None if there is none."""
    known = [m for m in millis if m]
    if not known:
        return None
    return datetime.fromtimestamp(max(known) / 1000, tz=UTC)


def due(accounts: Iterable[Account], now: datetime, retention_days: int) -> list[str]:
    """The uids of accounts idle for longer than the retention period, in listing order."""
    limit = now - timedelta(days=retention_days)
    return [a.uid for a in accounts if a.last_active <= limit]


def _listed(auth: Any) -> Iterator[Account]:
    page = auth.list_users(max_results=MAX_PER_CALL)
    while page is not None:
        for user in page.users:
            meta = user.user_metadata
            active = last_active(
                meta.creation_timestamp,
                meta.last_sign_in_timestamp,
                getattr(meta, "last_refresh_timestamp", None),
            )
            if active is not None:  # no times at all: not ours to judge
                yield Account(user.uid, active)
        page = page.get_next_page()


def purge_accounts(now: datetime, retention_days: int, *, dry_run: bool = False) -> AccountsReport:
    """Delete (or count, in a dry run) the accounts ``due`` at ``now``."""
    from firebase_admin import auth  # only the purge needs it: not at every function's start

    report = AccountsReport(now=now, retention_days=retention_days, dry_run=dry_run)
    doomed = due(_listed(auth), now, retention_days)
    report.due = len(doomed)
    if dry_run:
        return report
    for start in range(0, len(doomed), MAX_PER_CALL):
        chunk = doomed[start : start + MAX_PER_CALL]
        result = auth.delete_users(chunk)
        report.deleted += int(result.success_count)
        for error in result.errors:
            report.failed[chunk[error.index]] = str(error.reason)
    return report


# --- one person's account (my_data, delete_me) ---------------------------------------------------


def _ms(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value / 1000, tz=UTC) if value else None


def account(uid: str) -> dict[str, Any] | None:
    """What Firebase Auth keeps about ``uid`` (None when there is no such account)."""
    from firebase_admin import auth

    try:
        user = auth.get_user(uid)
    except auth.UserNotFoundError:
        return None
    meta = user.user_metadata
    return {
        "uid": user.uid,
        "displayName": user.display_name,
        "email": user.email,
        "emailVerified": bool(user.email_verified),
        "phoneNumber": user.phone_number,
        "photoUrl": user.photo_url,
        "createdAt": _ms(meta.creation_timestamp),
        "lastLoginAt": _ms(meta.last_sign_in_timestamp),
        "lastRefreshAt": _ms(getattr(meta, "last_refresh_timestamp", None)),
        "providerUserInfo": [
            {
                "providerId": p.provider_id,
                "rawId": p.uid,
                "email": p.email,
                "displayName": p.display_name,
                "photoUrl": p.photo_url,
                "phoneNumber": p.phone_number,
            }
            for p in user.provider_data
        ],
    }


def delete_account(uid: str) -> bool:
    """Delete the Auth account now (its refresh tokens die with it); False if there was none."""
    from firebase_admin import auth

    try:
        auth.delete_user(uid)
    except auth.UserNotFoundError:
        return False
    return True
