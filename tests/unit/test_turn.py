"""avmeets.turn: coturn REST-API credentials, URL parsing, and their configuration."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from avmeets import turn
from avmeets.config import Settings

SECRET = "north-wind-42"
UID = "u1AbCdEf"
NOW = 1_700_000_000


def test_known_answer() -> None:
    # Computed here independently of avmeets.turn, the way coturn checks it.
    username = f"{NOW + 3600}:{UID}"
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), username.encode(), hashlib.sha1).digest()
    ).decode()
    cred = turn.mint(SECRET, UID, NOW, 3600)
    assert cred.username == username == "1700003600:u1AbCdEf"
    assert cred.credential == expected
    assert cred.expires_at == NOW + 3600


def test_fixed_vector() -> None:
    # A fixed vector (the HMAC-SHA1 of RFC 2202 test case 2), so a change of algorithm shows.
    assert (
        turn.credential_for("Jefe", "what do ya want for nothing?")
        == base64.b64encode(bytes.fromhex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")).decode()
    )


def test_expiry_follows_ttl() -> None:
    assert turn.mint(SECRET, UID, NOW, 60).username.startswith(f"{NOW + 60}:")
    assert turn.mint(SECRET, UID, NOW, 86400).expires_at == NOW + 86400


def test_different_secret_or_user_different_credential() -> None:
    base = turn.mint(SECRET, UID, NOW, 3600).credential
    assert turn.mint(SECRET + "x", UID, NOW, 3600).credential != base
    assert turn.mint(SECRET, UID + "x", NOW, 3600).credential != base


@pytest.mark.parametrize(
    ("secret", "uid", "ttl"), [("", UID, 3600), (SECRET, UID, 0), (SECRET, "a:b", 3600)]
)
def test_mint_refuses(secret: str, uid: str, ttl: int) -> None:
    with pytest.raises(ValueError):
        turn.mint(secret, uid, NOW, ttl)


def test_ice_servers() -> None:
    urls = ("turn:127.0.0.1:3478?transport=udp", "turns:turn.example.org:5349?transport=tcp")
    servers = turn.ice_servers(urls, SECRET, UID, NOW, 600)
    cred = turn.mint(SECRET, UID, NOW, 600)
    assert servers == [
        {"urls": list(urls), "username": cred.username, "credential": cred.credential}
    ]
    assert turn.ice_servers((), SECRET, UID, NOW, 600) == []


def test_parse_urls() -> None:
    raw = " turn:127.0.0.1:3478?transport=udp, turn:[::1]:3478 ,turns:turn.example.org,, "
    assert turn.parse_turn_urls(raw) == (
        "turn:127.0.0.1:3478?transport=udp",
        "turn:[::1]:3478",
        "turns:turn.example.org",
    )
    assert turn.parse_turn_urls("") == ()


@pytest.mark.parametrize(
    "bad",
    [
        "stun:127.0.0.1:3478",
        "127.0.0.1:3478",
        "turn:",
        "turn://127.0.0.1",
        "turn::3478",
        "turn:127.0.0.1:0",
        "turn:127.0.0.1:70000",
        "turn:127.0.0.1:x",
        "turn:127.0.0.1?transport=sctp",
        "turn:127.0.0.1?foo=udp",
        "turn:[::1",
        "turn:[::1]x",
    ],
)
def test_parse_urls_refuses(bad: str) -> None:
    with pytest.raises(ValueError):
        turn.parse_turn_urls(bad)


def test_settings_turn() -> None:
    s = Settings.from_env(
        {
            "TURN_URLS": "turn:127.0.0.1:3478?transport=udp",
            "TURN_SECRET": f" {SECRET}\n",
            "TURN_TTL_SECONDS": "600",
        }
    )
    assert s.turn_urls == ("turn:127.0.0.1:3478?transport=udp",)
    assert s.turn_secret == SECRET
    assert s.turn_ttl_seconds == 600
    assert s.turn_enabled
    assert SECRET not in repr(s)


def test_settings_turn_defaults_and_partial() -> None:
    s = Settings.from_env({})
    assert (s.turn_urls, s.turn_secret, s.turn_ttl_seconds, s.turn_enabled) == (
        (),
        None,
        3600,
        False,
    )
    # A function without the secret (all but join_meeting in production) runs without TURN.
    assert not Settings.from_env({"TURN_URLS": "turn:127.0.0.1"}).turn_enabled
    assert not Settings.from_env({"TURN_SECRET": SECRET}).turn_enabled


@pytest.mark.parametrize(
    "env", [{"TURN_URLS": "stun:127.0.0.1"}, {"TURN_TTL_SECONDS": "10"}, {"TURN_TTL_SECONDS": "x"}]
)
def test_settings_turn_refuses(env: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        Settings.from_env(env)
