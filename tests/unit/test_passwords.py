"""Meeting passwords: salted, memory-hard, never matching a tampered or malformed hash."""

import pytest

from avmeets import passwords


def test_round_trip_and_salting() -> None:
    a = passwords.hash_password("correct horse")
    b = passwords.hash_password("correct horse")
    assert a != b  # a fresh salt each time
    assert "correct horse" not in a
    assert passwords.verify_password("correct horse", a)
    assert passwords.verify_password("correct horse", b)
    assert not passwords.verify_password("correct horsE", a)


def test_parameters_are_memory_hard() -> None:
    scheme, n, r, _p, _salt, _digest = passwords.hash_password("x").split("$")
    assert scheme == "scrypt"
    assert int(n) * int(r) * 128 >= 16 * 1024 * 1024  # at least 16 MiB per evaluation


@pytest.mark.parametrize(
    "encoded", ["", "plain", "bcrypt$1$2$3$4$5", "scrypt$x$8$1$AAAA$BBBB", "scrypt$16$8$1$$"]
)
def test_malformed_hashes_never_match(encoded: str) -> None:
    assert not passwords.verify_password("", encoded)
    assert not passwords.verify_password("x", encoded)


def test_the_documented_parameters_and_an_independent_derivation() -> None:
    """docs/security.md: scrypt (n = 2^15, r = 8, p = 1), a per-meeting random salt. The stored
    hash is recomputed here with hashlib directly, not through the module."""
    import base64
    import hashlib
    from pathlib import Path

    encoded = passwords.hash_password("correct horse")
    scheme, n, r, p, salt, digest = encoded.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**15, 8, 1)
    unb64 = lambda text: base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))  # noqa: E731
    assert len(unb64(salt)) == 16
    again = hashlib.scrypt(
        b"correct horse", salt=unb64(salt), n=2**15, r=8, p=1, dklen=32, maxmem=64 * 1024 * 1024
    )
    assert unb64(digest) == again
    security = (Path(__file__).parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    assert "scrypt (n = 2^15, r = 8, p = 1)" in security


def test_the_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """verify_password compares digests with hmac.compare_digest (not ==), on every path that
    reaches a comparison, right or wrong."""
    import hmac

    seen: list[tuple[bytes, bytes]] = []
    compare = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return compare(a, b)

    encoded = passwords.hash_password("correct horse")
    monkeypatch.setattr(passwords.hmac, "compare_digest", spy)
    assert passwords.verify_password("correct horse", encoded)
    assert not passwords.verify_password("wrong horse", encoded)
    assert len(seen) == 2 and all(len(a) == len(b) == 32 for a, b in seen)
