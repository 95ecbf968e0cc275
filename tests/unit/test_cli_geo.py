"""``avmeets geo``: JSON output, exit codes and clear messages, in-process and as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from avmeets import config, geo
from avmeets.cli import main
from tests.fixtures.geoip_db import FIXTURE_NETWORKS, UNKNOWN_PUBLIC, build

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "functions"
BOTH = [n for n in FIXTURE_NETWORKS if n.place and n.provider]


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("GEOIP_CITY_DB", raising=False)
    monkeypatch.delenv("GEOIP_ASN_DB", raising=False)
    geo.clear_cache()
    config.settings.cache_clear()
    yield
    geo.clear_cache()
    config.settings.cache_clear()


@pytest.fixture
def dbs(tmp_path: Path) -> tuple[str, str]:
    city, asn = build(tmp_path / "geoip")
    return str(city), str(asn)


def geo_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["geo", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("net", FIXTURE_NETWORKS, ids=lambda n: n.network)
def test_prints_ip_info_as_json(
    capsys: pytest.CaptureFixture[str], dbs: tuple[str, str], net: Any
) -> None:
    code, out, err = geo_cli(capsys, net.sample, "--city-db", dbs[0], "--asn-db", dbs[1])
    assert (code, err) == (0, "")
    assert json.loads(out) == {"ip": net.sample, **net.expected}
    assert out.startswith('{\n  "ip": ')  # indent 2


def test_defaults_come_from_settings(
    capsys: pytest.CaptureFixture[str], dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOIP_CITY_DB", dbs[0])
    monkeypatch.setenv("GEOIP_ASN_DB", dbs[1])
    net = BOTH[1]
    code, out, _ = geo_cli(capsys, net.sample)
    assert code == 0 and json.loads(out) == {"ip": net.sample, **net.expected}
    # '' switches a configured database off.
    code, out, _ = geo_cli(capsys, net.sample, "--asn-db", "")
    assert code == 0 and json.loads(out)["asn"] is None and json.loads(out)["city"]


def test_given_relative_paths_are_relative_to_the_current_directory(
    capsys: pytest.CaptureFixture[str], dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(Path(dbs[0]).parent)
    net = BOTH[0]
    code, out, _ = geo_cli(capsys, net.sample, "--city-db", "city.mmdb", "--asn-db", "asn.mmdb")
    assert code == 0 and json.loads(out) == {"ip": net.sample, **net.expected}


def test_address_is_normalised(capsys: pytest.CaptureFixture[str], dbs: tuple[str, str]) -> None:
    v6 = next(n for n in BOTH if ":" in n.sample)
    code, out, _ = geo_cli(capsys, f" {v6.sample.upper()} ", "--city-db", dbs[0])
    assert code == 0 and json.loads(out)["ip"] == v6.sample


@pytest.mark.parametrize(("ip", "kind"), [("10.1.2.3", "private"), ("::1", "loopback")])
def test_non_public(
    capsys: pytest.CaptureFixture[str], dbs: tuple[str, str], ip: str, kind: str
) -> None:
    code, out, _ = geo_cli(capsys, ip, "--city-db", dbs[0], "--asn-db", dbs[1])
    assert code == 0
    assert json.loads(out) == {"ip": ip, "kind": kind, "known": False} | dict.fromkeys(
        ["countryCode", "countryName", "city", "asn", "asOrg"]
    )


def test_unknown_public(capsys: pytest.CaptureFixture[str], dbs: tuple[str, str]) -> None:
    code, out, _ = geo_cli(capsys, UNKNOWN_PUBLIC[0], "--city-db", dbs[0], "--asn-db", dbs[1])
    assert code == 0 and json.loads(out)["known"] is False


def test_no_database_is_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = geo_cli(capsys, BOTH[0].sample)
    assert code == 0 and json.loads(out)["known"] is False
    assert "no GeoIP database" in err


@pytest.mark.parametrize("ip", ["not-an-ip", "1.2.3.4.5", "", "1.2.3.4:80"])
def test_bad_address(capsys: pytest.CaptureFixture[str], dbs: tuple[str, str], ip: str) -> None:
    code, out, err = geo_cli(capsys, ip, "--city-db", dbs[0])
    assert (code, out) == (2, "")
    assert err.startswith("avmeets: error: not an IPv4 or IPv6 address")


@pytest.mark.parametrize("which", ["--city-db", "--asn-db"])
@pytest.mark.parametrize("problem", ["missing", "garbage", "layout"])
def test_unusable_given_database(
    capsys: pytest.CaptureFixture[str],
    dbs: tuple[str, str],
    tmp_path: Path,
    which: str,
    problem: str,
) -> None:
    garbage = tmp_path / "garbage.mmdb"
    garbage.write_bytes(b"not a database\n" * 10)
    wrong = dbs[1] if which == "--city-db" else dbs[0]
    path = {"missing": str(tmp_path / "nope.mmdb"), "garbage": str(garbage), "layout": wrong}
    message = {"missing": "does not exist", "garbage": "not a valid MaxMind DB", "layout": "not a"}
    code, out, err = geo_cli(capsys, BOTH[0].sample, which, path[problem])
    assert (code, out) == (1, "")
    assert err.startswith("avmeets: error: GeoIP ") and message[problem] in err
    assert path[problem] in err


def test_unusable_configured_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOIP_ASN_DB", str(tmp_path / "gone.mmdb"))
    code, out, err = geo_cli(capsys, BOTH[0].sample)
    assert (code, out) == (1, "")
    assert "GeoIP ASN database" in err and "gone.mmdb does not exist" in err


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["geo", "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for needle in ("IP", "--city-db", "--asn-db", "GEOIP_CITY_DB", "GEOIP_ASN_DB", "exit codes"):
        assert needle in text


# --- as a process -------------------------------------------------------------------------------

ENTRY_POINTS = {
    # What the installed `avmeets` console script runs (avmeets = "avmeets.cli:main").
    "console-script": ["-c", "from avmeets.cli import main; raise SystemExit(main())"],
    "python -m avmeets.cli": ["-m", "avmeets.cli"],
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_as_a_process(dbs: tuple[str, str], tmp_path: Path, entry: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEOIP_")}
    env["PYTHONPATH"] = str(FUNCTIONS)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, *ENTRY_POINTS[entry], "geo", *args]
        done = subprocess.run(
            cmd, capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=60
        )
        assert "Traceback" not in done.stderr
        return done

    net = next(n for n in BOTH if n.place and n.place.city and not n.place.city.isascii())
    ok = run(net.sample, "--city-db", dbs[0], "--asn-db", dbs[1])
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"ip": net.sample, **net.expected}
    bad_ip = run("300.1.2.3", "--city-db", dbs[0])
    assert bad_ip.returncode == 2 and "not an IPv4 or IPv6 address" in bad_ip.stderr
    bad_db = run(net.sample, "--city-db", str(tmp_path / "missing.mmdb"))
    assert bad_db.returncode == 1 and "does not exist" in bad_db.stderr
    usage = run()
    assert usage.returncode == 2 and "usage:" in usage.stderr
