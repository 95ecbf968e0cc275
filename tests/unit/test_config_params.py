"""Deploy-time settings are Functions SDK params, and functions/.env gives each its default.

The Firebase CLI resolves every declared param from the dotenv files (prompting, or failing a
non-interactive deploy, for one that has no value), so functions/.env must list them all with
the defaults the code declares; ``Settings.from_env`` must read each of them. Besides the params
the file holds only the documented runtime settings of ``runtime_options.FUNCTIONS_ENV``
(``THREADS``, read by functions-framework), with the values the code assumes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from firebase_functions import params

from avmeets import config, runtime_options
from avmeets.config import DEPLOY_PARAMS, Settings
from avmeets.runtime_options import FUNCTIONS_ENV

ROOT = Path(__file__).resolve().parents[2]
ENV_FILE = ROOT / "functions" / ".env"


def dotenv(text: str) -> dict[str, str]:
    """KEY=VALUE lines as the Firebase CLI reads them (comments, optional quotes)."""
    out = {}
    for line in text.splitlines():
        found = re.fullmatch(r"\s*([A-Z_][A-Z0-9_]*)=(.*)", line)
        if found:
            value = found.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            out[found.group(1)] = value
    return out


def written(default: Any) -> str:
    return ",".join(default) if isinstance(default, list) else str(default)


def test_functions_env_lists_every_param_with_its_default() -> None:
    env = dotenv(ENV_FILE.read_text(encoding="utf-8"))
    declared = {p.name for p in DEPLOY_PARAMS}
    assert not declared & set(FUNCTIONS_ENV), "a runtime setting may not also be an SDK param"
    assert set(env) == declared | set(FUNCTIONS_ENV)
    for param in DEPLOY_PARAMS:
        if param is config.ICE_SERVERS:
            assert json.loads(env[param.name]) == json.loads(str(param.default))
        else:
            assert env[param.name] == written(param.default), param.name
    for name, value in FUNCTIONS_ENV.items():
        assert env[name] == value, name


def test_the_env_file_gives_the_same_settings_as_none_at_all() -> None:
    env = dotenv(ENV_FILE.read_text(encoding="utf-8"))
    assert Settings.from_env(env) == Settings.from_env({}) == Settings()
    assert runtime_options.from_env(env) == runtime_options.from_env({})


def test_the_runtime_settings_of_the_env_file_are_documented() -> None:
    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for name in FUNCTIONS_ENV:
        assert f"| `{name}` |" in deploy, f"{name} is not in docs/deploy.md's settings table"


def test_every_param_is_declared_to_the_sdk_and_read() -> None:
    declared = {p.name for p in DEPLOY_PARAMS}
    assert declared <= set(params._params)
    changed = {
        "MAX_PARTICIPANTS": "3",
        "XFF_TRUSTED_POSITION": "2",
        "PASSWORD_MAX_FAILURES": "3",
        "PASSWORD_LOCKOUT_SECONDS": "60",
        "RETENTION_DAYS": "3",
        "SIGN_IN_ORG": "acme",
        "ICE_SERVERS": '[{"urls": ["stun:127.0.0.1:3478"]}]',
        "GEOIP_CITY_DB": "city.mmdb",
        "GEOIP_ASN_DB": "asn.mmdb",
        "HEARTBEAT_SECONDS": "5",
        "HEARTBEAT_TIMEOUT_SECONDS": "15",
        "KNOCK_SECONDS": "7",
        "KNOCK_TIMEOUT_SECONDS": "21",
        "REPORTS_PER_MINUTE": "10",
        "MAX_STORED_CDRS": "100",
        "MEETING_IDLE_HOURS": "2",
        "ORG_CACHE_SECONDS": "5",
        "REVOCATION_CACHE_SECONDS": "5",
        "LOG_LEVEL": "DEBUG",
        "TURN_URLS": "turn:127.0.0.1:3478",
        "TURN_TTL_SECONDS": "600",
        "STORAGE_BUCKET": "acme-org-store",
    }
    assert set(changed) == declared
    base = Settings.from_env({})
    for name, value in changed.items():
        assert Settings.from_env({name: value}) != base, f"{name} is not read"


def test_a_list_param_may_arrive_as_a_json_array() -> None:
    urls = ["turn:127.0.0.1:3478?transport=udp", "turns:turn.example:5349"]
    as_json = Settings.from_env({"TURN_URLS": json.dumps(urls)})
    as_text = Settings.from_env({"TURN_URLS": ",".join(urls)})
    assert as_json.turn_urls == as_text.turn_urls == tuple(urls)


def test_log_level_offers_its_choices_at_deploy() -> None:
    assert isinstance(config.LOG_LEVEL.input, params.SelectInput)
    assert [o.value for o in config.LOG_LEVEL.input.options] == list(config.LOG_LEVELS)
