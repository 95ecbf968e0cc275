"""The caller's IP comes from the trusted end of X-Forwarded-For, never the spoofable left."""

import pytest

from avmeets.client_ip import client_ip


@pytest.mark.parametrize(
    ("header", "remote", "position", "expected"),
    [
        ("203.0.113.7", "10.0.0.1", 1, "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7", "10.0.0.1", 1, "203.0.113.7"),  # forged left entry ignored
        ("6.6.6.6, 203.0.113.7, 130.211.0.1", "10.0.0.1", 2, "203.0.113.7"),
        ("203.0.113.7", "198.51.100.2", 2, "198.51.100.2"),  # header too short: socket peer
        (None, "198.51.100.2", 1, "198.51.100.2"),
        ("2001:db8::1", None, 1, "2001:db8::1"),
        ("[2001:db8::1]:443", None, 1, "2001:db8::1"),
        ("203.0.113.7:5555", None, 1, "203.0.113.7"),
        ("not-an-ip", None, 1, ""),
        ("", "", 1, ""),
    ],
)
def test_client_ip(header: str | None, remote: str | None, position: int, expected: str) -> None:
    assert client_ip(header, remote, position) == expected
