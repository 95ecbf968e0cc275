"""The caller's IP comes from the trusted end of X-Forwarded-For, never the spoofable left."""

import json
import logging

import pytest

from avmeets import client_ip as module
from avmeets.client_ip import classify, client_ip, self_check_report


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


# --- Google's own addresses are never a caller's ------------------------------------------------
#
# 64.233.172.71 is the Google front-end address that firebase/firebase-functions#771 reported as
# the "client IP" of every request; 142.250.0.1 and 2a00:1450::1 are in goog.json only (Google
# services); 34.118.10.20 is in cloud.json (a Google Cloud customer's VM, e.g. Cloud Shell).


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("64.233.172.71", "google-service"),
        ("142.250.0.1", "google-service"),
        ("2a00:1450::1", "google-service"),
        ("::ffff:142.250.0.1", "google-service"),
        ("34.118.10.20", "google-cloud-customer"),
        ("169.254.8.1", "link-local"),
        ("fe80::1", "link-local"),
        ("203.0.113.7", "other"),
        ("127.0.0.1", "other"),
        ("nonsense", "invalid"),
    ],
)
def test_classify(address: str, kind: str) -> None:
    assert classify(address) == kind


@pytest.mark.parametrize(
    ("header", "position", "expected"),
    [
        # Google's proxy appended last: with position 1 the CDR says unknown, not Google.
        ("203.0.113.7, 64.233.172.71", 1, ""),
        ("203.0.113.7, 64.233.172.71", 2, "203.0.113.7"),
        ("203.0.113.7, 169.254.1.1", 1, ""),
        # A caller on a Google Cloud VM keeps its address.
        ("34.118.10.20", 1, "34.118.10.20"),
    ],
)
def test_google_addresses_are_recorded_as_unknown(
    header: str, position: int, expected: str
) -> None:
    assert client_ip(header, None, position) == expected


def test_socket_peer_that_is_google_is_refused_too() -> None:
    assert client_ip(None, "142.250.0.1", 1) == ""


def test_self_check_report_has_counts_and_kinds_but_no_address() -> None:
    report = self_check_report(["6.6.6.6", "203.0.113.7", "64.233.172.71"], 1)
    text = json.dumps(report)
    for address in ("6.6.6.6", "203.0.113.7", "64.233.172.71"):
        assert address not in text
    assert report["entries"] == 3
    assert report["kindsFromRight"] == ["google-service", "other", "other"]
    assert report["chosenKind"] == "google-service"
    assert report["chosenRecorded"] is False
    assert "Position 2" in report["advice"]
    assert report["rangesSnapshot"]["goog"].startswith("2024-")


def test_self_check_report_when_the_position_is_right() -> None:
    report = self_check_report(["203.0.113.7", "64.233.172.71"], 2)
    assert report["chosenKind"] == "other"
    assert report["chosenRecorded"] is True


def test_self_check_logs_once_per_instance(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, "_checked", module.threading.Event())
    with caplog.at_level(logging.INFO, logger="avmeets"):
        client_ip("198.51.100.9, 64.233.172.71", None, 1)
        client_ip("198.51.100.9, 64.233.172.71", None, 1)
        client_ip(None, "198.51.100.9", 1)
    lines = [r.getMessage() for r in caplog.records if "self-check" in r.getMessage()]
    assert len(lines) == 1
    assert '"entries": 2' in lines[0]
    assert "198.51.100.9" not in lines[0] and "64.233.172.71" not in lines[0]


def test_the_shipped_snapshot_is_complete() -> None:
    ranges = module.google_ranges()
    assert ranges.goog_date and ranges.cloud_date
    data = json.loads(
        module.resources.files("avmeets").joinpath(module.RANGES_RESOURCE).read_text()
    )
    assert len(data["goog"]["prefixes"]) > 50 and len(data["cloud"]["prefixes"]) > 500


# --- the pieces, each at its edges (they decide what a CDR records as the caller's address)


def test_a_range_set_merges_touching_and_overlapping_networks_and_keeps_its_ends() -> None:
    nets = [
        module.ipaddress.ip_network(n)
        for n in ("10.0.1.0/24", "10.0.0.0/24", "10.0.0.128/25", "10.0.3.0/24", "10.0.2.0/24")
    ]
    ranges = module.RangeSet(nets)
    inside = ("10.0.0.0", "10.0.0.200", "10.0.1.0", "10.0.2.255", "10.0.3.255")
    assert all(int(module.ipaddress.ip_address(a)) in ranges for a in inside)
    outside = ("9.255.255.255", "10.0.4.0")
    assert not any(int(module.ipaddress.ip_address(a)) in ranges for a in outside)
    apart = module.RangeSet(
        [module.ipaddress.ip_network("10.0.0.0/24"), module.ipaddress.ip_network("10.0.2.0/24")]
    )
    value = lambda text: int(module.ipaddress.ip_address(text))  # noqa: E731
    assert value("10.0.0.0") in apart and value("10.0.0.255") in apart
    assert value("10.0.1.0") not in apart and value("10.0.1.255") not in apart
    assert value("10.0.2.0") in apart and value("10.0.2.255") in apart
    assert value("9.255.255.255") not in apart and value("10.0.3.0") not in apart
    assert 0 not in module.RangeSet([])


def test_kinds_from_published_ranges_link_local_first_then_customers_then_google() -> None:
    data = {
        "goog": {"prefixes": ["8.8.0.0/16", "2001:4860::/32"], "creationTime": "2026-01-01"},
        "cloud": {"prefixes": ["8.8.8.0/24"]},
    }
    ranges = module.GoogleRanges.from_json(data)
    assert (ranges.goog_date, ranges.cloud_date) == ("2026-01-01", "unknown")
    kind = lambda text: ranges.kind(module.ipaddress.ip_address(text))  # noqa: E731
    assert kind("8.8.8.8") == "google-cloud-customer"  # inside both: a customer's VM
    assert kind("8.8.4.4") == "google-service"
    assert kind("2001:4860::1") == "google-service"
    assert kind("9.9.9.9") == "other"
    assert kind("169.254.1.1") == "link-local"
    assert kind("fe80::1") == "link-local"
    with pytest.raises(ValueError):  # a host address where a network is expected
        module.GoogleRanges.from_json(
            {"goog": {"prefixes": ["8.8.8.8/16"]}, "cloud": {"prefixes": []}}
        )


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        (" 203.0.113.7 ", "203.0.113.7"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),  # many colons: no port to strip
        ("2001:DB8:0:0::1", "2001:db8::1"),  # normalised
        ("203.0.113.7:5555", "203.0.113.7"),
        ("[2001:db8::1", ""),
        (None, ""),
        ("", ""),
    ],
)
def test_parse_strips_ports_and_brackets_and_normalises(value: str | None, parsed: str) -> None:
    assert client_ip(value, None, 1) == parsed


def test_an_ipv4_mapped_address_is_classified_as_its_ipv4() -> None:
    assert classify("::ffff:142.250.0.1") == classify("142.250.0.1") == "google-service"
    assert classify("nonsense") == "invalid"


def test_the_self_check_advice_for_each_case() -> None:
    short = self_check_report(["198.51.100.9"], 2)
    assert short["chosenKind"] == "socket-peer" and short["chosenRecorded"] is True
    assert short["advice"].startswith("X-Forwarded-For is shorter than XFF_TRUSTED_POSITION")
    google_only = self_check_report(["142.250.0.2", "142.250.0.1"], 1)
    assert google_only["advice"] == (
        "The chosen entry is a Google address, recorded as unknown: raise "
        "XFF_TRUSTED_POSITION past Google's own entries."
    )
    fine = self_check_report(["198.51.100.9"], 1)
    assert fine["advice"] == "The chosen entry is not a Google service address."
    assert self_check_report(["x"], 1)["chosenRecorded"] is False  # invalid is not recorded


def test_a_broken_snapshot_fails_the_self_check_not_the_call(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, "_checked", module.threading.Event())

    def broken(entries: object, position: object) -> dict[str, object]:
        raise KeyError("goog")

    monkeypatch.setattr(module, "self_check_report", broken)
    with caplog.at_level(logging.INFO, logger="avmeets"):
        assert client_ip("198.51.100.9", None, 1) == "198.51.100.9"
    assert [r.getMessage() for r in caplog.records] == ["client IP self-check failed: KeyError"]
    assert [r.levelname for r in caplog.records] == ["WARNING"]
