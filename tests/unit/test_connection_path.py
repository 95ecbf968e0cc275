"""The connection's own addresses in the CDR: what a report may say, and what a leg keeps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from avmeets import cdr, connection_path, payloads
from avmeets.errors import InvalidArgument
from avmeets.store.documents import IpInfo

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
MDNS = "1f0e8c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b.local"
looked_up: list[str] = []


def lookup(ip: str) -> IpInfo:
    looked_up.append(ip)
    return {"kind": "public", "known": True, "countryCode": "GB", "asn": 20712}


def end(address: str, kind: str = "srflx") -> dict[str, str]:
    return {"address": address, "candidateType": kind}


def report(path: Any) -> dict[str, Any]:
    return {
        "meetingId": "abc-defg-hij",
        "peer": "bob",
        "peerSession": "s2",
        "role": "caller",
        "status": "connected",
        "path": path,
    }


def test_public_ends_keep_the_address_and_its_place() -> None:
    looked_up.clear()
    path = connection_path.parse(
        {"local": end("81.2.69.142"), "remote": end("2001:480::1", "relay")}
    )
    assert path is not None
    kept = connection_path.record(path, "81.2.69.142", NOW, lookup)
    assert kept["local"] == {
        "candidateType": "srflx",
        "kind": "public",
        "ip": "81.2.69.142",
        "ipInfo": lookup("81.2.69.142"),
        "sameAsJoinIp": True,
    }
    assert kept["remote"]["ip"] == "2001:480::1" and kept["remote"]["kind"] == "public"
    assert "sameAsJoinIp" not in kept["remote"]
    assert kept["at"] == NOW


def test_a_split_tunnel_is_recorded_not_refused() -> None:
    path = connection_path.parse({"local": end("::ffff:89.160.20.112"), "remote": end("", "prflx")})
    assert path is not None
    kept = connection_path.record(path, "81.2.69.142", NOW, lookup)
    assert kept["local"]["ip"] == "89.160.20.112"  # one spelling: IPv4-mapped as IPv4
    assert kept["local"]["sameAsJoinIp"] is False
    assert kept["remote"] == {"candidateType": "prflx", "kind": "hidden"}


@pytest.mark.parametrize(
    ("address", "kind"),
    [("192.168.1.20", "private"), ("fd12:3456::1", "private"), ("127.0.0.1", "loopback"),
     ("::1", "loopback"), ("198.18.0.1", "reserved"), ("203.0.113.9", "reserved"),
     (MDNS, "mdns"), (MDNS.upper(), "mdns"), ("", "hidden")],
)  # fmt: skip
def test_private_loopback_and_mdns_are_kept_only_as_such(address: str, kind: str) -> None:
    looked_up.clear()
    path = connection_path.parse({"local": end(address, "host"), "remote": end(address, "host")})
    assert path is not None
    kept = connection_path.record(path, "81.2.69.142", NOW, lookup)
    assert kept["local"] == {"candidateType": "host", "kind": kind}
    assert kept["remote"] == {"candidateType": "host", "kind": kind}
    assert looked_up == []  # never looked up, never stored


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("x", "path"),
        ({"local": end("81.2.69.142")}, "path"),
        ({"local": end("81.2.69.142"), "remote": end("81.2.69.142"), "x": 1}, "path"),
        ({"local": {"address": "81.2.69.142"}, "remote": end("81.2.69.142")}, "path.local"),
        (
            {"local": end("81.2.69.142", "bogus"), "remote": end("1.1.1.1")},
            "path.local.candidateType",
        ),
        ({"local": end("81.2.69.142"), "remote": end("not an ip")}, "path.remote.address"),
        (
            {"local": end("81.2.69.142"), "remote": end("fe80::1%eth0", "host")},
            "path.remote.address",
        ),
        ({"local": end(MDNS, "srflx"), "remote": end("1.1.1.1")}, "path.local.address"),
        ({"local": end(MDNS, "relay"), "remote": end("1.1.1.1")}, "path.local.address"),
        ({"local": end("255.255.255.255"), "remote": end("1.1.1.1")}, "path.local.address"),
        ({"local": end("::"), "remote": end("1.1.1.1")}, "path.local.address"),
        ({"local": end("ff02::1"), "remote": end("1.1.1.1")}, "path.local.address"),
        ({"local": end("224.0.0.251"), "remote": end("1.1.1.1")}, "path.local.address"),
        ({"local": end("0.0.0.0"), "remote": end("1.1.1.1")}, "path.local.address"),
        ({"local": end(7), "remote": end("1.1.1.1")}, "path.local.address"),  # type: ignore[arg-type]
        ({"local": end("1" * 65), "remote": end("1.1.1.1")}, "path.local.address"),
    ],
)
def test_impossible_ends_are_refused_naming_the_field(path: Any, field: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        payloads.parse_report(report(path))
    assert info.value.details["field"] == field


def test_a_report_without_a_path_parses_as_before() -> None:
    body = report(None)
    del body["path"]
    assert payloads.parse_report(body).path is None
    assert payloads.parse_report(report(None)).path is None


def _leg() -> Any:
    side = {"status": "connected", "reports": {"windowStart": None, "count": 0}, "stats": {}}
    return {
        "state": "connected",
        "caller": {**side, "uid": "alice", "timeline": []},
        "callee": {**side, "uid": "bob", "timeline": []},
    }


def test_a_path_is_stored_even_when_the_status_repeats() -> None:
    path = connection_path.parse({"local": end("81.2.69.142"), "remote": end("", "prflx")})
    assert path is not None
    kept = connection_path.record(path, None, NOW, lookup)
    assert cdr.report_if_changed(_leg(), "caller", "connected", None, NOW, 30) is None
    leg = cdr.report_if_changed(_leg(), "caller", "connected", None, NOW, 30, kept)
    assert leg is not None and leg["caller"]["path"] == kept
    assert "path" not in leg["callee"]
    assert kept["local"]["sameAsJoinIp"] is False  # no join IP: never "the same"
