"""GeoIP lookups (avmeets.geo) against the small databases of tests.fixtures.geoip_db."""

from __future__ import annotations

import ipaddress
import logging
import os
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import geoip2.database
import pytest

from avmeets import config, geo
from tests.fixtures.geoip_db import FIXTURE_NETWORKS, TRAP_NETWORKS, UNKNOWN_PUBLIC, build

KEYS = ["kind", "known", "countryCode", "countryName", "city", "asn", "asOrg"]
UNKNOWN = dict.fromkeys(KEYS[2:]) | {"known": False}

# The (network, sample) of each part of the fixture data, by what the databases hold.
BOTH = [n for n in FIXTURE_NETWORKS if n.place and n.provider]
CITY_ONLY = next(n for n in FIXTURE_NETWORKS if n.place and not n.provider)
ASN_ONLY = next(n for n in FIXTURE_NETWORKS if n.provider and not n.place)


def unknown(kind: str) -> dict[str, Any]:
    return {"kind": kind, **UNKNOWN}


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    geo.clear_cache()
    config.settings.cache_clear()
    yield
    geo.clear_cache()
    config.settings.cache_clear()


@pytest.fixture
def dbs(tmp_path: Path) -> tuple[str, str]:
    city, asn = build(tmp_path / "geoip")
    return str(city), str(asn)


class Spy:
    """Counts what geoip2 readers are asked to do, by method name."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()
        for name in ("__init__", "city", "country", "enterprise", "asn", "isp"):
            monkeypatch.setattr(geoip2.database.Reader, name, self._wrap(name))

    def _wrap(self, name: str) -> Any:
        original = getattr(geoip2.database.Reader, name)

        def counted(reader: geoip2.database.Reader, *args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.calls[name] += 1
            return original(reader, *args, **kwargs)

        return counted


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "avmeets" and r.levelno >= logging.WARNING]


# --- public addresses --------------------------------------------------------------------------


@pytest.mark.parametrize("net", FIXTURE_NETWORKS, ids=lambda n: n.network)
def test_fixture_networks(dbs: tuple[str, str], net: Any) -> None:
    info = geo.lookup(net.sample, *dbs)
    assert list(info) == KEYS
    assert info == net.expected


def test_covers_both_families_and_partial_records() -> None:
    """The fixture data exercises what the tests below rely on."""
    assert any(":" in n.sample for n in BOTH) and any("." in n.sample for n in BOTH)
    assert CITY_ONLY.place and not CITY_ONLY.provider
    assert ASN_ONLY.provider and not ASN_ONLY.place
    assert any(n.place and n.place.city is None for n in FIXTURE_NETWORKS)


V4 = [n for n in FIXTURE_NETWORKS if "." in n.sample]


@pytest.mark.parametrize("net", V4, ids=lambda n: n.sample)
def test_ipv4_mapped_is_looked_up_as_ipv4(dbs: tuple[str, str], net: Any) -> None:
    assert geo.lookup(f"::ffff:{net.sample}", *dbs) == net.expected


def test_any_spelling_of_an_address(dbs: tuple[str, str]) -> None:
    v6 = next(n for n in BOTH if ":" in n.sample)
    spelled = ipaddress.ip_address(v6.sample).exploded.upper()  # 2001:0480:0000:...:0001
    assert geo.lookup(f" {spelled} ", *dbs) == v6.expected
    v4 = next(n for n in BOTH if "." in n.sample)
    assert geo.lookup(f" {v4.sample}\n", *dbs) == v4.expected


@pytest.mark.parametrize("ip", UNKNOWN_PUBLIC)
def test_unknown_public_address(dbs: tuple[str, str], ip: str) -> None:
    assert geo.lookup(ip, *dbs) == unknown("public")


def test_one_database_is_enough(dbs: tuple[str, str]) -> None:
    city, asn = dbs
    net = BOTH[0]
    location = {**net.expected, "asn": None, "asOrg": None}
    provider = {**net.expected, "countryCode": None, "countryName": None, "city": None}
    assert geo.lookup(net.sample, city, None) == location
    assert geo.lookup(net.sample, None, asn) == provider
    assert geo.lookup(net.sample, "", "") == unknown("public")
    assert geo.lookup(CITY_ONLY.sample, None, asn) == unknown("public")
    assert geo.lookup(ASN_ONLY.sample, city, None) == unknown("public")


def test_no_database_opens_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy(monkeypatch)
    assert geo.lookup(BOTH[0].sample, None, None) == unknown("public")
    assert spy.calls == Counter()


# --- addresses that are never looked up ---------------------------------------------------------


@pytest.mark.parametrize(("network", "ip", "kind"), TRAP_NETWORKS, ids=str)
def test_non_public_addresses_are_never_looked_up(
    dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch, network: str, ip: str, kind: str
) -> None:
    city, asn = dbs
    # The databases would answer: a lookup, had there been one, would come back known.
    with geoip2.database.Reader(city) as reader:
        assert reader.city(ip).country.iso_code
    with geoip2.database.Reader(asn) as reader:
        assert reader.asn(ip).autonomous_system_number
    spy = Spy(monkeypatch)
    assert geo.lookup(ip, city, asn) == unknown(kind)
    assert geo.classify(ip) == kind
    assert spy.calls == Counter(), "no reader opened or asked"


@pytest.mark.parametrize(
    ("ip", "kind"),
    [
        ("127.255.255.254", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("172.31.255.255", "private"),
        ("100.127.255.255", "private"),
        ("fec0::1", "private"),
        ("fe80::1%eth0", "private"),
        ("192.0.0.8", "reserved"),
        ("192.88.99.1", "reserved"),
        ("198.19.255.255", "reserved"),
        ("239.255.255.250", "reserved"),
        ("3fff::1", "reserved"),
        ("2001:2::1", "reserved"),
        ("2001:20::1", "reserved"),
        ("64:ff9b::808:808", "reserved"),
        ("100::1", "reserved"),
        ("::ffff:192.0.2.1", "reserved"),
        ("172.32.0.1", "public"),
        ("100.128.0.1", "public"),
        ("192.0.3.1", "public"),
        ("2002:5102:458e::1", "public"),
        ("2001:0:5102:458e::1", "public"),
        ("2600::1", "public"),
    ],
)
def test_classify(ip: str, kind: str) -> None:
    assert geo.classify(ip) == kind


@pytest.mark.parametrize(
    "ip", ["", " ", "not-an-ip", "1.2.3", "256.1.1.1", "01.2.3.4", "1.2.3.4:80", "[::1]", "::g"]
)
def test_invalid(dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch, ip: str) -> None:
    spy = Spy(monkeypatch)
    assert geo.lookup(ip, *dbs) == unknown("invalid")
    assert geo.classify(ip) == "invalid"
    assert spy.calls == Counter()


# --- readers: opened once, lazily -------------------------------------------------------------


def test_readers_are_opened_lazily_once_per_path(
    dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    city, asn = dbs
    spy = Spy(monkeypatch)
    geo.lookup("10.0.0.1", city, asn)
    assert spy.calls["__init__"] == 0, "nothing opened before a public address needs it"
    for net in FIXTURE_NETWORKS * 3:
        geo.lookup(net.sample, city, asn)
    # The same file by another spelling is the same reader.
    geo.lookup(BOTH[0].sample, str(Path(city).parent / "." / Path(city).name), asn)
    assert spy.calls["__init__"] == 2
    assert spy.calls["city"] == spy.calls["asn"] == len(FIXTURE_NETWORKS) * 3 + 1


def test_concurrent_first_lookups_open_once(
    dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(monkeypatch)
    net = BOTH[0]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: geo.lookup(net.sample, *dbs), range(64)))
    assert all(r == net.expected for r in results)
    assert spy.calls["__init__"] == 2


# --- broken databases: no exception, one warning per path -----------------------------------------


def corrupt_copy(src: str, dst: Path, *, keep_metadata: bool) -> str:
    """A file that is no MaxMind DB, or one whose search tree is garbage behind good metadata."""
    data = Path(src).read_bytes()
    if keep_metadata:
        marker = data.rindex(b"\xab\xcd\xefMaxMind.com")
        data = b"\xff" * marker + data[marker:]
    else:
        data = data[: len(data) // 2]
    dst.write_bytes(data)
    return str(dst)


@pytest.mark.parametrize("problem", ["missing", "directory", "garbage", "corrupt-tree", "layout"])
def test_broken_city_database(
    dbs: tuple[str, str], tmp_path: Path, caplog: pytest.LogCaptureFixture, problem: str
) -> None:
    city, asn = dbs
    broken = {
        "missing": lambda: str(tmp_path / "nope.mmdb"),
        "directory": lambda: str(tmp_path),
        "garbage": lambda: corrupt_copy(city, tmp_path / "half.mmdb", keep_metadata=False),
        "corrupt-tree": lambda: corrupt_copy(city, tmp_path / "tree.mmdb", keep_metadata=True),
        "layout": lambda: asn,  # an ASN database where the City one belongs
    }[problem]()
    caplog.set_level(logging.WARNING, logger="avmeets")
    for net in BOTH * 3:
        info = geo.lookup(net.sample, broken, asn)
        assert info == {**net.expected, "countryCode": None, "countryName": None, "city": None}
    assert geo.lookup(CITY_ONLY.sample, broken, asn) == unknown("public")
    [warning] = warnings_of(caplog)
    assert str(geo.resolve(broken)) in warning.getMessage()
    assert not any(n.sample in warning.getMessage() for n in FIXTURE_NETWORKS), "no address logged"


def test_broken_databases_warn_once_each(
    tmp_path: Path, dbs: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    city, _ = dbs
    missing = str(tmp_path / "missing-asn.mmdb")
    caplog.set_level(logging.WARNING, logger="avmeets")
    for net in FIXTURE_NETWORKS * 2:
        geo.lookup(net.sample, str(tmp_path / "missing-city.mmdb"), missing)
        geo.lookup(net.sample, city, city)  # the City file as the ASN database
        geo.lookup(net.sample, missing, None)
    messages = sorted(r.getMessage() for r in warnings_of(caplog))
    assert len(messages) == 3, messages
    assert sum("does not exist" in m for m in messages) == 2
    assert sum("GeoLite2-City" in m and "ASN" in m for m in messages) == 1


def test_open_database_raises_for_the_cli(dbs: tuple[str, str], tmp_path: Path) -> None:
    city, asn = dbs
    assert geo.open_database(city, "city") is geo.open_database(city, "city")
    with pytest.raises(geo.GeoDatabaseError, match="does not exist"):
        geo.open_database(str(tmp_path / "x.mmdb"), "city")
    with pytest.raises(geo.GeoDatabaseError, match="not a valid MaxMind DB"):
        geo.open_database(corrupt_copy(city, tmp_path / "c.mmdb", keep_metadata=False), "asn")
    with pytest.raises(geo.GeoDatabaseError, match="'GeoLite2-ASN' database, not a City"):
        geo.open_database(asn, "city")


# --- paths and settings ------------------------------------------------------------------------


def test_relative_paths_are_relative_to_functions_dir(
    dbs: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert geo.BASE_DIR.name == "functions" and (geo.BASE_DIR / "avmeets" / "geo.py").is_file()
    assert (
        geo.resolve("../.cache/geoip/city.mmdb") == geo.BASE_DIR.parent / ".cache/geoip/city.mmdb"
    )
    assert geo.resolve("/abs/city.mmdb") == Path("/abs/city.mmdb")
    city, asn = (os.path.relpath(p, geo.BASE_DIR) for p in dbs)
    assert not Path(city).is_absolute()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # not the current directory
    assert geo.lookup(BOTH[0].sample, city, asn) == BOTH[0].expected


def test_lookup_configured(dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    net = BOTH[1]
    monkeypatch.delenv("GEOIP_CITY_DB", raising=False)
    monkeypatch.delenv("GEOIP_ASN_DB", raising=False)
    assert geo.lookup_configured(net.sample) == unknown("public")
    config.settings.cache_clear()
    monkeypatch.setenv("GEOIP_CITY_DB", dbs[0])
    monkeypatch.setenv("GEOIP_ASN_DB", dbs[1])
    assert geo.lookup_configured(net.sample) == net.expected
    assert geo.lookup_configured("192.168.0.1") == unknown("private")
    assert geo.lookup_configured("") == unknown("invalid")
