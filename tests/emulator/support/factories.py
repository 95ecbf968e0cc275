"""Factories behind the `peers` and `actors` fixtures (see conftest.py)."""

from __future__ import annotations

from .actors import Actor
from .auth import User, sign_in_with_google
from .peer import MeetingPeer
from .userstore import UserAsyncClient


class Addresses:
    """Distinct documentation-range (TEST-NET-3) addresses, one per test peer or actor."""

    def __init__(self) -> None:
        self._next = 10

    def take(self) -> str:
        self._next += 1
        return f"203.0.113.{self._next}"


class Peers:
    """Factory of MeetingPeer: `await peers("alice", trickle=True)` returns a signed-in peer."""

    def __init__(self, addresses: Addresses) -> None:
        self.all: list[MeetingPeer] = []
        self._addresses = addresses

    async def __call__(
        self,
        label: str,
        *,
        trickle: bool = False,
        media: bool = True,
        user: User | None = None,
        ip: str | None = None,
        heartbeat_seconds: float | None = None,
        beat: str = "presence",
        offer_in_join: bool = False,
    ) -> MeetingPeer:
        address = ip or self._addresses.take()
        peer = MeetingPeer(
            label,
            ip=address,
            trickle=trickle,
            media=media,
            user=user,
            heartbeat_seconds=heartbeat_seconds,
            beat=beat,
            offer_in_join=offer_in_join,
        )
        self.all.append(peer)
        if user is None:
            await peer.sign_in()
        return peer


class Actors:
    """Factory of Actor: signed-in users that act by hand through callables and Firestore."""

    def __init__(self, addresses: Addresses) -> None:
        self.all: list[Actor] = []
        self._addresses = addresses

    async def __call__(
        self, label: str, email: str | None = None, ip: str | None = None, user: User | None = None
    ) -> Actor:
        """A new user signed in with Google as `label`, or the given `user` (another provider)."""
        if user is None:
            user = await sign_in_with_google(label.capitalize(), email)
        return self._actor(user, ip)

    async def signed_in(self, name: str, email: str | None = None, ip: str | None = None) -> Actor:
        """An actor whose Google profile name is exactly ``name`` (even empty)."""
        return self._actor(await sign_in_with_google(name, email), ip)

    def _actor(self, user: User, ip: str | None) -> Actor:
        address = ip or self._addresses.take()
        actor = Actor(user=user, ip=address, store=UserAsyncClient(user))
        self.all.append(actor)
        return actor
