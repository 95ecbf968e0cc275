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
