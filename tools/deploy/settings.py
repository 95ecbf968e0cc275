"""The deploy-time settings of one project: the same files the Firebase CLI reads.

``functions/.env`` (shared defaults) and ``functions/.env.<project>`` (that project) hold every
setting; the CLI hands them to the functions at discovery and at run time, and ``nox -s deploy``
reads them here to write the web app's ``/avmeets.json`` and to check prerequisites, so the
region, TURN and App Check are each one setting for functions and web alike.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "functions"))

from avmeets import runtime_options  # noqa: E402

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


def parse_dotenv(text: str) -> dict[str, str]:
    """KEY=VALUE lines as the Firebase CLI reads them (comments, quotes; no interpolation)."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValueError(f"not a KEY=VALUE line: {raw!r}")
        key, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
            if raw.strip().split("=", 1)[1].strip().startswith('"'):
                value = value.encode().decode("unicode_escape")
        else:
            value = value.split(" #", 1)[0].rstrip()
        values[key] = value
    return values


def load_env(functions_dir: Path, project: str) -> dict[str, str]:
    """``.env`` then ``.env.<project>`` (the later wins), as the CLI merges them."""
    merged: dict[str, str] = {}
    for name in (".env", f".env.{project}"):
        path = functions_dir / name
        if path.is_file():
            merged.update(parse_dotenv(path.read_text(encoding="utf-8")))
    return merged


@dataclass(frozen=True)
class DeploySettings:
    project: str
    env: Mapping[str, str]
    runtime: runtime_options.RuntimeOptions

    @classmethod
    def load(cls, project: str, functions_dir: Path = ROOT / "functions") -> DeploySettings:
        env = load_env(functions_dir, project)
        return cls(project=project, env=env, runtime=runtime_options.from_env(env))

    @property
    def region(self) -> str:
        return self.runtime.region

    @property
    def service_account_email(self) -> str | None:
        account = self.runtime.service_account
        if account is None:
            return None
        return (
            f"{account}{self.project}.iam.gserviceaccount.com" if account.endswith("@") else account
        )

    @property
    def turn_configured(self) -> bool:
        return self.runtime.turn_configured

    @property
    def app_check_site_key(self) -> str | None:
        return self.env.get("APP_CHECK_SITE_KEY", "").strip() or None

    @property
    def geoip_files(self) -> list[str]:
        return [v for k in ("GEOIP_CITY_DB", "GEOIP_ASN_DB") if (v := self.env.get(k, "").strip())]

    def app_config(self) -> dict[str, Any]:
        """The web app's ``/avmeets.json`` (web/src/config.ts ``AppConfig``)."""
        config: dict[str, Any] = {"functionsRegion": self.region}
        if self.app_check_site_key:
            config["appCheckSiteKey"] = self.app_check_site_key
        if self.env.get("PHONE_SIGN_IN", "").strip() == "1":
            config["phoneSignIn"] = True
        return config
