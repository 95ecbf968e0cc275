"""GeoIP: the country and provider of an IP address, for the ``ipInfo`` of joins and CDRs.

``kind`` is decided from the address alone, and only ``public`` addresses are ever looked up:

* ``loopback``: 127.0.0.0/8, ::1.
* ``private``: an address inside someone's own network, which says nothing about where they
  are: RFC 1918 (10/8, 172.16/12, 192.168/16), carrier-grade NAT (100.64/10), link-local
  (169.254/16, fe80::/10), unique-local fc00::/7 and the old site-local fec0::/10.
* ``reserved``: never a real client address on the Internet: unspecified and "this network"
  (0/8, ::), multicast (224/4, ff00::/8), 240/4 with the broadcast address, IETF protocol
  assignments (192.0.0/24), documentation (TEST-NET-1/2/3, 2001:db8::/32, 3fff::/20),
  benchmarking (198.18/15, 2001:2::/48), ORCHID (2001:10::/28, 2001:20::/28), the 6to4 relay
  anycast 192.88.99/24, and every IPv6 address outside global unicast 2000::/3 (NAT64
  64:ff9b::/96, discard 100::/64, ...).
* ``public``: everything else (6to4 and Teredo addresses included, looked up as they are).
* ``invalid``: not an IP address (``""`` included).

An IPv4-mapped IPv6 address (``::ffff:a.b.c.d``) is classified and looked up as its IPv4 address.
The tables are spelled out here rather than taken from :mod:`ipaddress`, whose ``is_global``
changed between Python patch releases.

Databases are GeoIP2 / GeoLite2 files: a City (or Country, or Enterprise) one for the location
and an ASN (or ISP) one for the provider. A reader is opened once per process and path, on first
use. A missing, unreadable, corrupt or wrong-layout database never fails a lookup: the fields it
would fill stay None, and one warning per path goes to the ``avmeets`` logger. Log messages
never contain the address looked up. The country is the location's, else the registered one.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import threading
from pathlib import Path
from typing import Any, Literal

import geoip2.database
import geoip2.errors
import geoip2.models
from maxminddb import InvalidDatabaseError

from . import config
from .store.documents import IpInfo

log = logging.getLogger("avmeets")

Kind = Literal["public", "private", "loopback", "reserved", "invalid"]
Role = Literal["city", "asn"]

#: Relative database paths are relative to ``functions/``, the functions runtime's directory.
BASE_DIR = Path(__file__).resolve().parent.parent

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _nets(*cidrs: str) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(c) for c in cidrs)


_LOOPBACK = _nets("127.0.0.0/8", "::1/128")
_PRIVATE = _nets(
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
)
_RESERVED = _nets(
    "0.0.0.0/8",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "2001:2::/48",
    "2001:10::/28",
    "2001:20::/28",
    "2001:db8::/32",
    "3fff::/20",
)
_GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")

#: database_type substrings accepted per role (geoip2's Reader methods check the same way).
_LAYOUTS: dict[Role, tuple[str, ...]] = {
    "city": ("City", "Enterprise", "Country"),
    "asn": ("GeoLite2-ASN", "GeoIP2-ISP"),
}
_ROLE_NAMES: dict[Role, str] = {"city": "City", "asn": "ASN"}


class GeoDatabaseError(Exception):
    """A database that cannot be used: missing, unreadable, corrupt or of the wrong layout."""


_lock = threading.Lock()
_readers: dict[str, geoip2.database.Reader | str] = {}  # path -> reader, or why it failed
_warned: set[str] = set()


def _parse(ip: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def _kind(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> Kind:
    if any(addr in n for n in _LOOPBACK):
        return "loopback"
    if any(addr in n for n in _PRIVATE):
        return "private"
    if any(addr in n for n in _RESERVED):
        return "reserved"
    if isinstance(addr, ipaddress.IPv6Address) and addr not in _GLOBAL_UNICAST_V6:
        return "reserved"
    return "public"


def classify(ip: str) -> Kind:
    """The ``kind`` of an address (see the module docstring); no database involved."""
    addr = _parse(ip)
    return "invalid" if addr is None else _kind(addr)


def resolve(path: str) -> Path:
    """The absolute path of a database; a relative one is relative to ``functions/``."""
    p = Path(path).expanduser()
    return (p if p.is_absolute() else BASE_DIR / p).resolve()


@functools.lru_cache(maxsize=64)
def _key(path: str) -> str:
    """The cache key of a database path: its resolved form, computed once per spelling."""
    return str(resolve(path))


def _open(key: str) -> geoip2.database.Reader | str:
    if Path(key).is_dir():
        return "is a directory"
    try:
        return geoip2.database.Reader(key)
    except FileNotFoundError:
        return "does not exist"
    except OSError as err:
        return f"cannot be read ({err.strerror or err})"
    except (InvalidDatabaseError, ValueError):
        return "is not a valid MaxMind DB file"
    except Exception as err:  # whatever else the reader raises: still only a bad database
        return f"cannot be opened ({type(err).__name__})"


def open_database(path: str, role: Role) -> geoip2.database.Reader:
    """The cached reader of ``path``, checked to fit ``role``; raise GeoDatabaseError if not."""
    key = _key(path)
    with _lock:
        cached = _readers.get(key)
        if cached is None:
            cached = _readers[key] = _open(key)
    label = f"GeoIP {_ROLE_NAMES[role]} database {key}"
    if isinstance(cached, str):
        raise GeoDatabaseError(f"{label} {cached}")
    db_type = cached.metadata().database_type
    if not any(t in db_type for t in _LAYOUTS[role]):
        *others, last = _LAYOUTS[role]
        wanted = f"{', '.join(others)} or {last}"
        raise GeoDatabaseError(f"{label} is a {db_type!r} database, not a {wanted} one")
    return cached


def clear_cache() -> None:
    """Close every cached reader and forget past warnings (for tests and reloads)."""
    with _lock:
        for reader in _readers.values():
            if not isinstance(reader, str):
                reader.close()
        _readers.clear()
        _warned.clear()
    _key.cache_clear()


def _warn_once(key: str, message: str) -> None:
    with _lock:
        if key in _warned:
            return
        _warned.add(key)
    log.warning("%s; its fields stay unknown", message)


def _usable(path: str | None, role: Role) -> tuple[geoip2.database.Reader, str] | None:
    """The reader and resolved path of a configured database, or None (warned once)."""
    if not path:
        return None
    key = _key(path)
    try:
        return open_database(path, role), key
    except GeoDatabaseError as err:
        _warn_once(key, str(err))
        return None


def _read_location(reader: geoip2.database.Reader, ip: str) -> geoip2.models.Country:
    db_type = reader.metadata().database_type
    if "City" in db_type:
        return reader.city(ip)
    if "Enterprise" in db_type:
        return reader.enterprise(ip)
    return reader.country(ip)


def _read_provider(reader: geoip2.database.Reader, ip: str) -> geoip2.models.ASN:
    return reader.isp(ip) if "ISP" in reader.metadata().database_type else reader.asn(ip)


def _location(model: geoip2.models.Country) -> dict[str, Any]:
    country = model.country if model.country.iso_code else model.registered_country
    city = model.city.names.get("en") if isinstance(model, geoip2.models.City) else None
    return {"countryCode": country.iso_code, "countryName": country.names.get("en"), "city": city}


def _provider(model: geoip2.models.ASN) -> dict[str, Any]:
    return {"asn": model.autonomous_system_number, "asOrg": model.autonomous_system_organization}


def _fields(
    opened: tuple[geoip2.database.Reader, str] | None, role: Role, ip: str
) -> dict[str, Any] | None:
    """The fields ``role``'s database gives ``ip``; None when it cannot or has no record."""
    if opened is None:
        return None
    reader, key = opened
    try:
        if role == "city":
            return _location(_read_location(reader, ip))
        return _provider(_read_provider(reader, ip))
    except (geoip2.errors.AddressNotFoundError, ValueError):  # not in it; IPv6 in an IPv4 db
        return None
    except Exception as err:  # a corrupt data section shows only here; never fail the caller
        _warn_once(
            key, f"GeoIP {_ROLE_NAMES[role]} database {key} failed a lookup ({type(err).__name__})"
        )
        return None


def lookup(ip: str, city_db: str | None, asn_db: str | None) -> IpInfo:
    """The ``ipInfo`` of ``ip``: kind, known, countryCode, countryName, city, asn, asOrg.

    Never raises. Fields nobody knows are None; ``known`` says whether a database had the
    address. Only public addresses are looked up.
    """
    addr = _parse(ip)
    kind: Kind = "invalid" if addr is None else _kind(addr)
    info: IpInfo = {
        "kind": kind,
        "known": False,
        "countryCode": None,
        "countryName": None,
        "city": None,
        "asn": None,
        "asOrg": None,
    }
    if addr is None or kind != "public":
        return info
    text = str(addr)
    databases: tuple[tuple[Role, str | None], ...] = (("city", city_db), ("asn", asn_db))
    for role, path in databases:
        fields = _fields(_usable(path, role), role, text)
        if fields is not None:
            info.update(fields)  # type: ignore[typeddict-item]
            info["known"] = True
    return info


def lookup_configured(ip: str) -> IpInfo:
    """:func:`lookup` with the databases of the settings (``GEOIP_CITY_DB``, ``GEOIP_ASN_DB``)."""
    s = config.settings()
    return lookup(ip, s.geoip_city_db, s.geoip_asn_db)
