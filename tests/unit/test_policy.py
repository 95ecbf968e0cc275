"""The policy check's per-instance caches (services.policy.TtlCache): reuse within the TTL,
reload after it, never with a TTL of 0, forget on demand; and the token facts it reads."""

from __future__ import annotations

from avmeets.services.policy import TtlCache


class Loader:
    """Counts its loads; returns the number of the load."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def __call__(self, key: str) -> int:
        self.keys.append(key)
        return len(self.keys)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_reused_within_the_ttl_and_reloaded_after() -> None:
    load, clock = Loader(), Clock()
    cache: TtlCache[str, int] = TtlCache(load, lambda: 60, clock)
    assert cache.get("acme.example") == 1
    clock.now += 59
    assert cache.get("acme.example") == 1
    clock.now += 2
    assert cache.get("acme.example") == 2
    assert cache.get("other.example") == 3
    assert load.keys == ["acme.example", "acme.example", "other.example"]


def test_ttl_zero_never_reuses() -> None:
    cache: TtlCache[str, int] = TtlCache(Loader(), lambda: 0)
    assert [cache.get("u"), cache.get("u"), cache.get("u")] == [1, 2, 3]


def test_forget_reloads_at_once() -> None:
    cache: TtlCache[str, int] = TtlCache(Loader(), lambda: 60, Clock())
    assert cache.get("uid") == 1
    cache.forget("uid")
    assert cache.get("uid") == 2


def test_none_is_a_value_too() -> None:
    """That no organisation claims a domain is cached like an organisation."""
    loads: list[str | None] = []

    def load(domain: str | None) -> tuple[str | None, None]:
        loads.append(domain)
        return None, None

    cache: TtlCache[str | None, tuple[str | None, None]] = TtlCache(load, lambda: 60, Clock())
    assert cache.get(None) == (None, None) and cache.get(None) == (None, None)
    assert loads == [None]
