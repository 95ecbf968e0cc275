"""Deploy AVMeets to a Firebase project in one command: ``nox -s deploy -- --project <id>``.

Every step, in order (``--dry-run`` prints them and changes nothing):

  preflight      the project's prerequisites, all checked before anything changes: the Blaze
                 plan, Identity Platform, the APIs, the runtime service account and its roles,
                 the TURN secret (when TURN is configured), the GeoIP files (when configured),
                 App Check (when enforced), Firestore's location against the functions region
  functions-venv functions/venv from the lock (the CLI discovers Python functions through it)
  cli            the pinned Firebase CLI (npm ci)
  web-build      web/ built for production: one build for any project (config read at run time)
  web-config     web/dist/avmeets.json: the functions region, App Check site key, phone sign-in
  firestore      firebase deploy --only firestore:rules,firestore:indexes
  functions      firebase deploy --only functions
  blocking-uri   Identity Platform pointed at the blocking functions' run.app URIs (#9997)
  hosting        firebase deploy --only hosting

Settings come from functions/.env and functions/.env.<project> (docs/deploy.md). Credentials:
``npx firebase login`` for the CLI and ``gcloud auth application-default login`` for the
checks and the URI fix-up. Afterwards, verify with ``nox -s smoke -- --project <id>``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from tools import emulators
from tools.deploy import gcp
from tools.deploy.settings import ROOT, DeploySettings

WEB_DIR: Final = ROOT / "web"
WEB_DIST: Final = WEB_DIR / "dist"
APP_CONFIG_FILE: Final = WEB_DIST / "avmeets.json"


@dataclass(frozen=True)
class Step:
    name: str
    what: str
    #: True for steps that talk to Google (skipped by nothing, but unavailable offline).
    live: bool = False


STEPS: Final = (
    Step("preflight", "check the project's prerequisites before changing anything", live=True),
    Step("functions-venv", "create functions/venv from functions/requirements.txt (the lock)"),
    Step("cli", "install the pinned Firebase CLI (npm ci)"),
    Step("web-build", "build web/ for production (config read at run time: any project)"),
    Step("web-config", "write web/dist/avmeets.json (functions region, App Check, phone)"),
    Step("firestore", "firebase deploy --only firestore:rules,firestore:indexes", live=True),
    Step("functions", "firebase deploy --only functions", live=True),
    Step(
        "blocking-uri",
        "register auth_callback's and auth_create's run.app URIs with Identity Platform",
        live=True,
    ),
    Step("hosting", "firebase deploy --only hosting", live=True),
)


class DeployError(RuntimeError):
    """A prerequisite is missing or a step failed; the message says what to do."""


def firebase(*args: str, project: str) -> list[str]:
    return [str(emulators.FIREBASE_BIN), *args, "--project", project, "--non-interactive"]


def step_commands(settings: DeploySettings) -> dict[str, list[list[str]]]:
    """The commands each local or CLI step runs (what ``--dry-run`` prints)."""
    p = settings.project
    return {
        "functions-venv": [
            [f"python{emulators.FUNCTIONS_PYTHON}", "-m", "venv", "functions/venv"],
            ["functions/venv/bin/pip", "install", "-r", "functions/requirements.txt"],
        ],
        "cli": [["npm", "ci"]],
        "web-build": [["npm", "ci", "--prefix", "web"], ["npm", "run", "build", "--prefix", "web"]],
        "firestore": [firebase("deploy", "--only", "firestore:rules,firestore:indexes", project=p)],
        "functions": [firebase("deploy", "--only", "functions", project=p)],
        "hosting": [firebase("deploy", "--only", "hosting", project=p)],
    }


# --- preflight ----------------------------------------------------------------------------------


def local_problems(settings: DeploySettings, root: Path = ROOT) -> list[str]:
    """What can be checked without Google: tools and files (pure apart from reading files)."""
    problems = []
    if emulators.find_python(emulators.FUNCTIONS_PYTHON) is None:
        problems.append(f"python{emulators.FUNCTIONS_PYTHON} is needed for the functions venv")
    if shutil.which("npm") is None:
        problems.append("npm is needed to install the Firebase CLI and build the web app")
    for name in settings.geoip_files:
        path = Path(name) if Path(name).is_absolute() else root / "functions" / name
        if not path.is_file():
            problems.append(
                f"GeoIP database {name} (GEOIP_*_DB) does not exist: run geoipupdate first "
                "(docs/deploy.md, GeoIP), or remove the setting to record locations as unknown"
            )
        elif path.is_absolute() and root / "functions" not in path.parents:
            problems.append(
                f"GeoIP database {name} is outside functions/ and would not be uploaded"
            )
    if settings.runtime.enforce_app_check and not settings.app_check_site_key:
        problems.append(
            "APP_CHECK_ENFORCE=1 but APP_CHECK_SITE_KEY is not set: the web app could not get "
            "App Check tokens and every call would be refused"
        )
    return problems


def live_problems(settings: DeploySettings, api: gcp.Gcp) -> tuple[list[str], list[str]]:
    """(problems, warnings) found through Google's APIs."""
    problems: list[str] = []
    warnings: list[str] = []
    try:
        api.check_credentials()
    except gcp.GcpError as error:
        return [f"cannot reach Google's APIs for {settings.project}: {error}"], warnings

    def attempt(what: str, check: Callable[[], str | None]) -> None:
        try:
            problem = check()
        except gcp.GcpError as error:
            problem = f"could not check {what}: {error}"
        if problem:
            problems.append(problem)

    attempt("billing", lambda: gcp.billing_problem(api.billing_info()))
    attempt("Identity Platform", lambda: gcp.identity_platform_problem(api.identity_config()))

    def apis() -> str | None:
        wanted = list(gcp.REQUIRED_APIS)
        if settings.runtime.enforce_app_check:
            wanted.append(gcp.APP_CHECK_API)
        missing = gcp.missing_apis(api.enabled_apis(), wanted)
        if not missing:
            return None
        return (
            "APIs not enabled: "
            + ", ".join(missing)
            + (f" (gcloud services enable {' '.join(missing)} --project {settings.project})")
        )

    attempt("the enabled APIs", apis)

    account = settings.service_account_email
    if account is not None:

        def roles() -> str | None:
            if not api.service_account_exists(account):
                return (
                    f"The runtime service account {account} does not exist: create it and grant "
                    "its roles (docs/deploy.md, Service account)"
                )
            missing = gcp.missing_roles(
                api.iam_policy(), f"serviceAccount:{account}", gcp.RUNTIME_ROLES
            )
            if missing:
                return f"{account} lacks {', '.join(missing)} (docs/deploy.md, Service account)"
            return None

        attempt("the runtime service account", roles)
    else:
        warnings.append(
            "FUNCTIONS_SERVICE_ACCOUNT=default: the functions run as the default compute "
            "service account"
        )

    if settings.turn_configured:
        attempt(
            "the TURN secret",
            lambda: (
                None
                if api.secret_exists("TURN_SECRET")
                else (
                    "TURN_URLS is set but the TURN_SECRET secret does not exist: "
                    f"npx firebase functions:secrets:set TURN_SECRET --project {settings.project}"
                )
            ),
        )
    try:
        warning = gcp.region_problem(settings.region, api.firestore_location())
        if warning:
            warnings.append(warning)
    except gcp.GcpError as error:
        problems.append(f"no Firestore database (default) found: create it first ({error})")
    return problems, warnings


# --- the steps ------------------------------------------------------------------------------------


def run(cmd: Sequence[str], cwd: Path = ROOT) -> None:
    print(f"deploy > {' '.join(cmd)}", flush=True)
    # FUNCTIONS_DISCOVERY_TIMEOUT: the CLI gives importing main 10 s by default, tight for a
    # cold first import on a small machine; an explicit setting of the operator's wins.
    env = {"FUNCTIONS_DISCOVERY_TIMEOUT": "60", **os.environ, "NO_UPDATE_NOTIFIER": "1"}
    result = subprocess.run(list(cmd), cwd=cwd, check=False, env=env)
    if result.returncode != 0:
        raise DeployError(f"failed with exit code {result.returncode}: {' '.join(cmd)}")


def write_app_config(settings: DeploySettings, dist: Path = WEB_DIST) -> Path:
    if not (dist / "index.html").is_file():
        raise DeployError(f"{dist} has no build: the web-build step must run first")
    path = dist / APP_CONFIG_FILE.name
    path.write_text(json.dumps(settings.app_config(), indent=2) + "\n", encoding="utf-8")
    return path


def fix_blocking_uri(settings: DeploySettings, api: gcp.Gcp) -> str:
    """Point each blocking event at its function's run.app URI, in one write if any changed."""
    config = api.blocking_config()
    lines = []
    changed = False
    for event, function in gcp.BLOCKING_FUNCTIONS.items():
        uri = api.function_run_uri(settings.region, function)
        problem = gcp.run_app_uri_problem(uri, function)
        if problem or uri is None:
            raise DeployError(problem or "no URI")
        fixed = gcp.blocking_config_fix(config, uri, event)
        if fixed is None:
            lines.append(f"Identity Platform already calls {uri} ({event})")
            continue
        config, changed = fixed, True
        lines.append(f"Identity Platform now calls {uri} ({event}; was the cloudfunctions.net URL)")
    if changed:
        api.set_blocking_config(config)
    return "\n".join(lines)


def execute(settings: DeploySettings, only: Sequence[str] | None = None) -> None:
    api = gcp.Gcp(settings.project)
    commands = step_commands(settings)
    for step in STEPS:
        if only and step.name not in only:
            continue
        print(f"\n=== {step.name}: {step.what}", flush=True)
        if step.name == "preflight":
            problems = local_problems(settings)
            live, warnings = live_problems(settings, api)
            for warning in warnings:
                print(f"warning: {warning}")
            if problems + live:
                raise DeployError("not deploying:\n  - " + "\n  - ".join(problems + live))
        elif step.name == "functions-venv":
            emulators.ensure_functions_venv()
        elif step.name == "cli":
            emulators.ensure_node_modules()
        elif step.name == "web-config":
            print(f"wrote {write_app_config(settings).relative_to(ROOT)}")
        elif step.name == "blocking-uri":
            print(fix_blocking_uri(settings, api))
        else:
            for cmd in commands[step.name]:
                run(cmd)
    print(f"\ndeployed to {settings.project}. Verify: nox -s smoke -- --project {settings.project}")


def describe_plan(settings: DeploySettings) -> str:
    commands = step_commands(settings)
    lines = [f"deploy plan for project {settings.project} (region {settings.region}):"]
    for n, step in enumerate(STEPS, 1):
        lines.append(f"{n}. {step.name}: {step.what}")
        for cmd in commands.get(step.name, []):
            lines.append(f"     $ {' '.join(cmd)}")
    lines.append("settings:")
    lines.append(f"  service account: {settings.service_account_email or 'default compute'}")
    lines.append(
        f"  TURN: {'configured (TURN_SECRET needed)' if settings.turn_configured else 'off'}"
    )
    lines.append(f"  App Check enforced: {settings.runtime.enforce_app_check}")
    lines.append(
        f"  GeoIP databases: {', '.join(settings.geoip_files) or 'none (locations unknown)'}"
    )
    lines.append(f"  web/dist/avmeets.json: {json.dumps(settings.app_config())}")
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="nox -s deploy --",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parse.add_argument("--project", required=True, help="the Firebase project id")
    parse.add_argument("--dry-run", action="store_true", help="print the plan; change nothing")
    parse.add_argument(
        "--only",
        metavar="STEP[,STEP]",
        help=f"run only these steps (of: {', '.join(s.name for s in STEPS)})",
    )
    return parse


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = DeploySettings.load(args.project)
    except ValueError as error:
        print(f"bad setting in functions/.env*: {error}", file=sys.stderr)
        return 2
    if args.dry_run:
        print(describe_plan(settings))
        return 0
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    unknown = set(only or []) - {s.name for s in STEPS}
    if unknown:
        print(f"unknown step(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    try:
        execute(settings, only)
    except (DeployError, emulators.BootstrapError) as error:
        print(f"\ndeploy stopped: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
