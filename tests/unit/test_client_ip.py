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
