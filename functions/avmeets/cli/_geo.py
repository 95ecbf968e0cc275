"""``avmeets geo IP``: what the GeoIP databases say about an address, as a CDR would record it."""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
from pathlib import Path
from typing import Any

from .. import config, geo
from ._common import CliError

_DESCRIPTION = """\
Look up an IPv4 or IPv6 address the way a join or CDR records it (its ipInfo) and print it as
JSON. Private, loopback and reserved addresses are classified and never looked up.

The databases default to GEOIP_CITY_DB and GEOIP_ASN_DB (relative paths there are relative to
functions/). Unlike the functions, which carry on without a broken database, this command fails
when a database it is given, or configured with, cannot be used."""

_EPILOG = """\
examples:
  avmeets geo 81.2.69.142
  avmeets geo 2001:480::1 --city-db GeoLite2-City.mmdb --asn-db GeoLite2-ASN.mmdb
  avmeets geo 89.160.20.112 --asn-db ''      # no ASN database, even if one is configured

exit codes: 0 printed, 1 unusable database or configuration, 2 not an IP address"""


def register(subparsers: Any) -> None:
    """Add the ``geo`` subcommand."""
    parser = subparsers.add_parser(
        "geo",
        help="look up an IP address in the GeoIP databases",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("ip", metavar="IP", help="IPv4 or IPv6 address, e.g. 81.2.69.142")
    parser.add_argument(
        "--city-db",
        metavar="PATH",
        help="GeoIP2/GeoLite2 City (or Country) .mmdb file, relative to the current directory; "
        "'' for none (default: GEOIP_CITY_DB)",
    )
    parser.add_argument(
        "--asn-db",
        metavar="PATH",
        help="GeoLite2 ASN (or GeoIP2 ISP) .mmdb file, relative to the current directory; "
        "'' for none (default: GEOIP_ASN_DB)",
    )
    parser.set_defaults(run=run)


def _database(given: str | None, configured: str | None) -> str | None:
    """The path to use: a given one (relative to the current directory), else the configured."""
    if given is None:
        return configured
    return str(Path(given).expanduser().absolute()) if given.strip() else None


def run(args: argparse.Namespace) -> int:
    """Print the ipInfo of ``args.ip`` as JSON."""
    try:
        ip = str(ipaddress.ip_address(args.ip.strip()))
    except ValueError:
        raise CliError(f"not an IPv4 or IPv6 address: {args.ip!r}", exit_code=2) from None
    try:
        settings = config.settings()
    except ValueError as err:
        raise CliError(f"bad configuration: {err}") from None
    city_db = _database(args.city_db, settings.geoip_city_db)
    asn_db = _database(args.asn_db, settings.geoip_asn_db)
    databases: tuple[tuple[str | None, geo.Role], ...] = ((city_db, "city"), (asn_db, "asn"))
    for path, role in databases:
        if path:
            try:
                geo.open_database(path, role)
            except geo.GeoDatabaseError as err:
                raise CliError(str(err)) from None
    if not city_db and not asn_db:
        print("avmeets: note: no GeoIP database given or configured", file=sys.stderr)
    info = {"ip": ip, **geo.lookup(ip, city_db, asn_db)}
    try:
        print(json.dumps(info, indent=2, ensure_ascii=False))
    except UnicodeEncodeError:  # a terminal that cannot show e.g. "Linköping"
        print(json.dumps(info, indent=2))
    return 0
