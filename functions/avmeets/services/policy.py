"""The organisation policy at the boundary: every callable admits its caller through ``admit``.

Sign-in is not enough: Firebase Auth runs no blocking function for anonymous or custom-token
sign-ins, a token refresh runs none either (an account blocked after it signed in would keep
working for as long as it refreshes), and an address can be changed after sign-in without being
verified. So each callable checks the caller's token against the same policy as the blocking
functions (``sign_in.check_policy``):

* membership of an organisation only from a verified e-mail address;
* ``SIGN_IN_ORG`` and the organisation's ``signIn`` rules (providers, blocked addresses);
* a blocked account's sessions are revoked (no new ID token); an account of a provider that
  never ran a blocking function is deleted once refused (nothing is kept of a person the
  service turned away);
* for the accounts a policy applies to (``SIGN_IN_ORG`` set, or a member of an organisation
  with ``signIn`` rules), the ID token is checked for revocation, as ``verify_id_token(...,
  check_revoked=True)`` would: the account's ``validSince`` and ``disabled`` from Auth.

Cost: one organisation lookup per e-mail domain and one Auth lookup per policy-bound account,
each reused by the instance for ``ORG_CACHE_SECONDS`` / ``REVOCATION_CACHE_SECONDS`` (60 s by
default): a busy instance makes at most one of each a minute per domain and per account, and
accounts no policy applies to (no verified organisation address, no ``SIGN_IN_ORG``) never
cost an Auth lookup. A block or a revocation therefore takes effect within that time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..config import settings
from ..errors import AccountBlocked, PermissionDenied, Unauthenticated
from ..sign_in import NO_BLOCKING_FUNCTION, check_policy, member_domain
from ..store import auth_users, people
from ..store.documents import OrgDoc

log = logging.getLogger("avmeets")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    """What ``load`` returned for a key, reused for ``ttl()`` seconds (0: not at all). One per
    instance; the lock only guards the dictionary (two threads may load the same key)."""

    def __init__(
        self,
        load: Callable[[K], V],
        ttl: Callable[[], float],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load
        self._ttl = ttl
        self._clock = clock
        self._items: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V:
        ttl = self._ttl()
        now = self._clock()
        if ttl > 0:
            with self._lock:
                hit = self._items.get(key)
            if hit is not None and now - hit[0] < ttl:
                return hit[1]
        value = self._load(key)
        if ttl > 0:
            with self._lock:
                if len(self._items) > 10_000:  # bounded: forget everything rather than grow
                    self._items.clear()
                self._items[key] = (now, value)
        return value

    def forget(self, key: K) -> None:
        with self._lock:
            self._items.pop(key, None)


@dataclass(frozen=True)
class Token:
    """The verified ID token's claims that the policy looks at."""

    uid: str
    email: str | None
    email_verified: bool
    #: ``firebase.sign_in_provider``: google.com, phone, password, anonymous, custom, ...
    provider: str
    #: ``iat``, epoch seconds (None when the token lacks it).
    issued_at: int | None


@dataclass(frozen=True)
class Membership:
    """The caller's organisation (by a verified address), whose policy and retention apply."""

    org_id: str | None
    org: OrgDoc | None


_orgs: TtlCache[str | None, tuple[str | None, OrgDoc | None]] = TtlCache(
    people.org_of_domain, lambda: settings().org_cache_seconds
)
_sessions: TtlCache[str, auth_users.Sessions | None] = TtlCache(
    auth_users.sessions, lambda: settings().revocation_cache_seconds
)


def admit(token: Token) -> Membership:
    """Admit the caller of a callable, or refuse it (``PermissionDenied``, ``account-refused``;
    ``Unauthenticated`` for a revoked session)."""
    s = settings()
    org_id, org = _orgs.get(member_domain(token))
    try:
        check_policy(token, org, s.sign_in_org, org_id)
    except AccountBlocked:
        _end_sessions(token.uid)
        raise
    except PermissionDenied:
        if token.provider in NO_BLOCKING_FUNCTION:
            _delete(token)
        raise
    if s.sign_in_org is not None or (org is not None and org.get("signIn")):
        _check_not_revoked(token)
    return Membership(org_id, org)


def _check_not_revoked(token: Token) -> None:
    state = _sessions.get(token.uid)
    if state is None or state.disabled or (token.issued_at or 0) < state.valid_after:
        raise Unauthenticated("This session has ended; sign in again.")


def _end_sessions(uid: str) -> None:
    auth_users.revoke_sessions(uid)
    _sessions.forget(uid)
    log.info("sessions revoked: uid=%s blocked by its organisation", uid, extra={"uid": uid})


def _delete(token: Token) -> None:
    """A refused account of a provider that skips the blocking functions: delete it, so a
    person the policy turned away leaves nothing behind (its identity was never recorded)."""
    auth_users.delete_account(token.uid)
    _sessions.forget(token.uid)
    log.info(
        "refused %s account deleted: uid=%s",
        token.provider,
        token.uid,
        extra={"uid": token.uid, "provider": token.provider},
    )
