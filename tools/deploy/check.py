"""``nox -s deploy_check``: everything about a deploy that can be checked offline.

With the pinned Firebase CLI's own code (tools/deploy/cli_probe.cjs) and the functions' venv and
SDK, it discovers the functions manifest as ``firebase deploy`` does, validates it, firebase.json
and firestore.indexes.json with the CLI's validators, packages the functions source as for upload
and inspects it, builds the web app for production and inspects what Hosting would serve, derives
every Firestore query's index needs from the source (tools/deploy/queries.py), and checks the deploy
plan (tools/deploy/__main__.py). Each finding names the broken point of issue 17 it guards:

  1  blocking function URI fix-up        6  dedicated runtime service account
  2  functions venv before discovery      7  TURN secret only when TURN is configured
  3  hosting: a production build, run-     8  one region for functions and web
     time config, served from web/dist    9  composite indexes for every query
  4  no Google address as a caller IP    10  App Check, the dependency lock, no public
  5  function resources set                  source maps, no build folders uploaded

    python -m tools.deploy.check [--only 1,7,9] [--no-web-build]

It checks the checkout it is run from (its own root), so a test can break a copy and run it there
(tests/deploy/test_deploy_check.py). Exit status 1 when anything is found.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.deploy import queries  # noqa: E402
from tools.deploy.settings import load_env  # noqa: E402

FUNCTIONS: Final = ROOT / "functions"
VENV_PYTHON: Final = FUNCTIONS / "venv" / "bin" / "python"
PROBE: Final = ROOT / "tools" / "deploy" / "cli_probe.cjs"
CHECK_PROJECT: Final = "avmeets-deploy-check"
HOSTING_CONFIG_PATH: Final = "/__/firebase/init.json"
APP_CONFIG_PATH: Final = "/avmeets.json"
#: What must never be uploaded with the functions source.
FORBIDDEN_UPLOAD: Final = (
    (re.compile(r"(^|/)venv/"), "the virtualenv"),
    (re.compile(r"(^|/)build/"), "a setuptools build folder"),
    (re.compile(r"\.egg-info(/|$)"), "egg-info metadata"),
    (re.compile(r"(^|/)\.secret\.local$"), "the emulator's local secrets"),
    (re.compile(r"(^|/)\.env\.local$"), "the emulator's local settings"),
    (re.compile(r"(^|/)__pycache__/"), "bytecode caches"),
)
REQUIRED_UPLOAD: Final = ("main.py", "requirements.txt", "avmeets/data/google_ranges.json")
#: A Google front-end address reported as "the client IP" (firebase/firebase-functions#771).
GOOGLE_FRONT_END: Final = "64.233.172.71"


@dataclass(frozen=True)
class Finding:
    point: str
    message: str

    def __str__(self) -> str:
        return f"[{self.point}] {self.message}"


@dataclass
class Context:
    root: Path
    web_build: bool
    probes: dict[str, dict[str, Any]] = field(default_factory=dict)
    built: bool = False
    notes: list[str] = field(default_factory=list)
    scratch: Path | None = None

    def probe(self, name: str, env: Mapping[str, str], **extra: Any) -> dict[str, Any]:
        if name not in self.probes:
            request = {
                "root": str(self.root),
                "projectId": CHECK_PROJECT,
                "env": dict(env),
                **extra,
            }
            result = subprocess.run(
                ["node", str(PROBE), json.dumps(request)],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
                cwd=self.root,
                # A shared 2-core test machine can take longer than the CLI's 10 s to import main
                # on a cold cache; the deploy itself allows 60 s (tools/deploy/__main__.py).
                env={**os.environ, "NO_UPDATE_NOTIFIER": "1", "FUNCTIONS_DISCOVERY_TIMEOUT": "120"},
            )
            lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
            if not lines:
                self.probes[name] = {"ok": False, "error": result.stderr.strip()[-2000:]}
            else:
                self.probes[name] = json.loads(lines[-1])
        return self.probes[name]

    def default_probe(self) -> dict[str, Any]:
        self.build_web()  # first: the probe lists the files Hosting would serve
        if self.scratch is None:
            self.scratch = Path(tempfile.mkdtemp(prefix="avmeets-deploy-check-"))
        return self.probe("default", {}, package=str(self.scratch), hostingDir="")

    def endpoints(self, probe: Mapping[str, Any]) -> list[dict[str, Any]]:
        if not probe.get("ok"):
            raise ProbeFailed(str(probe.get("error")))
        return list(probe.get("endpoints") or [])

    def env_files(self) -> dict[str, str]:
        return load_env(self.root / "functions", CHECK_PROJECT)

    def build_web(self) -> None:
        if self.built or not self.web_build:
            return
        web = self.root / "web"
        env = {k: v for k, v in os.environ.items() if not k.startswith("VITE_")}
        if not (web / "node_modules").exists():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=web, check=True, env=env)
        subprocess.run(["npm", "run", "build"], cwd=web, check=True, env=env, capture_output=True)
        self.built = True

    def venv_python(
        self, code: str, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.root / "functions" / "venv" / "bin" / "python"), "-c", code],
            cwd=self.root / "functions",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "GCLOUD_PROJECT": CHECK_PROJECT, **(env or {})},
        )


Check = Callable[[Context], list[Finding]]


class ProbeFailed(RuntimeError):
    """Discovery failed (reported once by the "cli" check): checks that need it are skipped."""


# --- the plan -------------------------------------------------------------------------------------


def _plan(ctx: Context) -> tuple[list[str], dict[str, list[list[str]]]]:
    from tools.deploy import __main__ as deploy
    from tools.deploy.settings import DeploySettings

    names = [s.name for s in deploy.STEPS]
    commands = deploy.step_commands(DeploySettings.load("example-project", ctx.root / "functions"))
    return names, commands


def _before(names: Sequence[str], first: str, then: str) -> bool:
    return first in names and then in names and names.index(first) < names.index(then)


def check_general(ctx: Context) -> list[Finding]:
    probe = ctx.default_probe()
    if not probe.get("ok"):
        return [Finding("cli", f"the Firebase CLI rejects the project: {probe.get('error')}")]
    schema = probe["steps"]["schema"]
    return [Finding("cli", f"firebase.json: {e}") for e in schema.get("errors", [])]


def check_1_blocking_uri(ctx: Context) -> list[Finding]:
    probe = ctx.default_probe()
    blocking = [e["id"] for e in ctx.endpoints(probe) if "blockingTrigger" in e]
    if not blocking:
        return []
    fabricator = ctx.root / "node_modules/firebase-tools/lib/deploy/functions/release/fabricator.js"
    verifier = next(
        (ctx.root / "functions" / "venv" / "lib").glob(
            "python3*/site-packages/firebase_functions/private/token_verifier.py"
        ),
        None,
    )
    cli_registers_url = "endpoint.uri = resultFunction.url;" in fabricator.read_text()
    sdk_wants_run_app = (
        verifier is not None and 'expected_audience="run.app"' in verifier.read_text()
    )
    if not (cli_registers_url and sdk_wants_run_app):
        ctx.notes.append(
            "1: the pinned CLI or SDK no longer shows firebase-tools#9997; the blocking-uri step "
            "is then a no-op and may be dropped"
        )
        return []
    names, _ = _plan(ctx)
    if not _before(names, "functions", "blocking-uri"):
        return [
            Finding(
                "1",
                f"{', '.join(blocking)} is a blocking function: the pinned CLI registers its "
                "cloudfunctions.net URL on first deploy and the Python SDK accepts only run.app "
                "audiences, so the deploy plan needs the blocking-uri step after functions",
            )
        ]
    return []


def check_2_venv(ctx: Context) -> list[Finding]:
    names, commands = _plan(ctx)
    found = []
    if not _before(names, "functions-venv", "functions"):
        found.append(
            Finding(
                "2",
                "the deploy plan does not create functions/venv before deploying the "
                "functions (the CLI discovers Python functions by activating it)",
            )
        )
    venv_cmds = " ".join(" ".join(c) for c in commands.get("functions-venv", []))
    if "functions-venv" in names and "requirements.txt" not in venv_cmds:
        found.append(Finding("2", "the functions venv is not installed from the lock"))
    return found


def _bundle(ctx: Context) -> tuple[list[str], str]:
    """(hosting files as the CLI lists them, all served JavaScript concatenated)."""
    ctx.build_web()
    probe = ctx.default_probe()
    files = list(((probe.get("hosting") or {}).get("files")) or [])
    public = ctx.root / ((probe.get("hosting") or {}).get("public") or "web/dist")
    js = "".join(
        (public / f).read_text(encoding="utf-8", errors="replace")
        for f in files
        if f.endswith(".js")
    )
    return files, js


def check_3_hosting(ctx: Context) -> list[Finding]:
    found = []
    names, _ = _plan(ctx)
    if not (_before(names, "web-build", "web-config") and _before(names, "web-config", "hosting")):
        found.append(
            Finding(
                "3", "the deploy plan does not build web/ and write avmeets.json before hosting"
            )
        )
    config = json.loads((ctx.root / "firebase.json").read_text())
    vite = (ctx.root / "web" / "vite.config.ts").read_text()
    out_dir = re.search(r'outDir:\s*"([^"]+)"', vite)
    if config.get("hosting", {}).get("public") != f"web/{out_dir.group(1) if out_dir else 'dist'}":
        found.append(Finding("3", "firebase.json hosting.public is not the web build's outDir"))
    if not ctx.web_build:
        return found
    files, js = _bundle(ctx)
    if "index.html" not in files:
        found.append(Finding("3", "Hosting would serve no index.html"))
    if HOSTING_CONFIG_PATH not in js:
        found.append(
            Finding(
                "3",
                f"the production build does not read {HOSTING_CONFIG_PATH}: it would "
                "need the project's config at build time (auth/invalid-api-key)",
            )
        )
    return found


def check_4_client_ip(ctx: Context) -> list[Finding]:
    code = (
        "from avmeets.client_ip import client_ip, classify\n"
        f"print(classify('{GOOGLE_FRONT_END}'))\n"
        f"print(repr(client_ip('203.0.113.7, {GOOGLE_FRONT_END}', None, 1)))\n"
        "print(repr(client_ip('203.0.113.7', None, 1)))\n"
    )
    result = ctx.venv_python(code)
    lines = result.stdout.split()
    if result.returncode != 0 or lines != ["google-service", "''", "'203.0.113.7'"]:
        detail = result.stderr.strip().splitlines()[-1:] or lines
        return [
            Finding(
                "4",
                f"a Google front-end address would be recorded as a caller's IP, or the "
                f"ranges snapshot does not load ({' '.join(detail)})",
            )
        ]
    return []


def check_5_resources(ctx: Context) -> list[Finding]:
    found = []
    env = ctx.env_files()
    for e in ctx.endpoints(ctx.default_probe()):
        name = e["id"]
        cpu = e.get("cpu")
        if not isinstance(cpu, int | float) or cpu < 1:
            found.append(
                Finding("5", f"{name} runs on {cpu!r} vCPU (SDK default 1/6): set its CPU")
            )
        for key in ("availableMemoryMb", "maxInstances"):
            if e.get(key) in (None, 0):
                found.append(Finding("5", f"{name} has no {key}: the SDK default would apply"))
        accepted_cold = env.get("AUTH_CALLBACK_MIN_INSTANCES", "").strip() == "0"
        if "blockingTrigger" in e and not e.get("minInstances") and not accepted_cold:
            found.append(
                Finding(
                    "5",
                    f"{name} has no warm instance: a cold start risks Identity "
                    "Platform's 7 s limit (set AUTH_CALLBACK_MIN_INSTANCES=0 to accept it)",
                )
            )
    return found


def check_6_service_account(ctx: Context) -> list[Finding]:
    if ctx.env_files().get("FUNCTIONS_SERVICE_ACCOUNT", "").strip().lower() == "default":
        return []
    found = [
        Finding("6", f"{e['id']} would run as the default compute service account")
        for e in ctx.endpoints(ctx.default_probe())
        if not e.get("serviceAccount")
    ]
    from tools.deploy import gcp

    docs = (ctx.root / "docs" / "deploy.md").read_text(encoding="utf-8")
    found += [
        Finding("6", f"docs/deploy.md does not document the runtime role {role}")
        for role in gcp.RUNTIME_ROLES
        if role not in docs
    ]
    return found


def _secrets(endpoints: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    return {
        e["id"]: sorted(s.get("key", "") for s in e.get("secretEnvironmentVariables") or [])
        for e in endpoints
        if e.get("secretEnvironmentVariables")
    }


def check_7_turn_secret(ctx: Context) -> list[Finding]:
    found = []
    without = _secrets(ctx.endpoints(ctx.default_probe()))
    if without and not ctx.env_files().get("TURN_URLS"):
        found.append(
            Finding(
                "7",
                f"without TURN_URLS the functions still declare secrets {without}: a "
                "non-interactive deploy without TURN would fail on the missing secret",
            )
        )
    probe = ctx.probe("turn", {"TURN_URLS": "turn:turn.example.org:3478?transport=udp"})
    if not probe.get("ok"):
        return [*found, Finding("7", f"discovery with TURN_URLS failed: {probe.get('error')}")]
    withturn = _secrets(ctx.endpoints(probe))
    if withturn != {"join_meeting": ["TURN_SECRET"]}:
        found.append(
            Finding(
                "7",
                f"with TURN_URLS, TURN_SECRET must be bound to join_meeting only, not {withturn}",
            )
        )
    return found


def check_8_region(ctx: Context) -> list[Finding]:
    found = []
    region = "europe-west1"
    probe = ctx.probe("region", {"FUNCTIONS_REGION": region})
    if not probe.get("ok"):
        return [Finding("8", f"discovery with FUNCTIONS_REGION failed: {probe.get('error')}")]
    stray = sorted({e["id"] for e in ctx.endpoints(probe) if e.get("region") != region})
    if stray:
        found.append(Finding("8", f"FUNCTIONS_REGION={region} does not move {', '.join(stray)}"))
    from tools.deploy.settings import DeploySettings

    settings = DeploySettings.load("example-project", ctx.root / "functions")
    if settings.app_config().get("functionsRegion") != settings.region:
        found.append(Finding("8", "the web's avmeets.json does not carry the functions region"))
    if ctx.web_build:
        _, js = _bundle(ctx)
        if APP_CONFIG_PATH not in js:
            found.append(
                Finding("8", f"the web app does not read its region from {APP_CONFIG_PATH}")
            )
    return found


def check_9_indexes(ctx: Context) -> list[Finding]:
    analysis, missing = queries.check(ctx.root / "functions", ctx.root / "firestore.indexes.json")
    ctx.notes += [f"9: not analysable: {line}" for line in analysis.unanalysable]
    probe = ctx.default_probe()
    found = [Finding("9", f"queries not checked: {error}") for error in analysis.errors]
    if probe.get("ok") is False and "ndex" in str(probe.get("error")):
        found.append(Finding("9", f"firestore.indexes.json: {probe.get('error')}"))
    for query in missing:
        found.append(
            Finding(
                "9",
                f"no index serves {query.describe()} ({query.where}); add "
                f"{json.dumps(queries.suggested_index(query))}",
            )
        )
    return found


def _lock_findings(ctx: Context) -> list[Finding]:
    lock_text = (ctx.root / "functions" / "requirements.txt").read_text(encoding="utf-8")
    pins: dict[str, str] = {}
    found = []
    for line in lock_text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match is None:
            found.append(Finding("10", f"requirements.txt line {line!r} is not pinned with =="))
            continue
        pins[_norm(match.group(1))] = match.group(2)
    result = ctx.venv_python(
        "import importlib.metadata as m\n"
        "for d in m.distributions(): print(d.metadata['Name'], d.version)"
    )
    installed = {
        _norm(name): version
        for name, version in (ln.split(" ", 1) for ln in result.stdout.splitlines() if " " in ln)
        if _norm(name) not in ("pip", "setuptools", "wheel")
    }
    unpinned = sorted(set(installed) - set(pins))
    if unpinned:
        found.append(
            Finding(
                "10",
                f"the lock misses {len(unpinned)} installed dependencies "
                f"({', '.join(unpinned[:8])}...): regenerate it with `nox -s lock`",
            )
        )
    differ = sorted(n for n in set(installed) & set(pins) if installed[n] != pins[n])
    if differ:
        found.append(Finding("10", f"functions/venv differs from the lock for {', '.join(differ)}"))
    direct = ctx.root / "functions" / "requirements.in"
    for line in direct.read_text(encoding="utf-8").splitlines() if direct.is_file() else []:
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            if pins.get(_norm(name)) != version.strip():
                found.append(Finding("10", f"requirements.in pins {line} but the lock does not"))
    return found


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _app_check_findings(ctx: Context) -> list[Finding]:
    # The SDK's own callable handler, called as Cloud Run would: a request without an App
    # Check token (and without an ID token: enforcement must refuse before the handler runs).
    code = (
        "import json, flask, main\n"
        "app = flask.Flask('probe')\n"
        "with app.test_request_context('/', method='POST', json={'data': {}}):\n"
        "    res = main.create_meeting(flask.request)\n"
        "print(res.status_code, json.loads(res.get_data())['error']['message'])\n"
    )
    result = ctx.venv_python(code, {"APP_CHECK_ENFORCE": "1"})
    if result.returncode != 0 or not result.stdout.startswith("401 Unauthenticated"):
        tail = (result.stdout.strip() or result.stderr.strip()).splitlines()[-1:]
        return [
            Finding(
                "10",
                "with APP_CHECK_ENFORCE=1 a callable still accepts a request without "
                f"an App Check token ({' '.join(tail)})",
            )
        ]
    return []


def _upload_findings(ctx: Context) -> list[Finding]:
    probe = ctx.default_probe()
    package = probe.get("package") or {}
    path = package.get("path")
    if not path or not Path(path).is_file():
        return [Finding("10", "the CLI did not package the functions source")]
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        size = sum(i.file_size for i in archive.infolist())
    found = []
    for pattern, what in FORBIDDEN_UPLOAD:
        hits = [n for n in names if pattern.search(n)]
        if hits:
            found.append(
                Finding("10", f"the functions upload contains {what}: {hits[0]} (+{len(hits) - 1})")
            )
    geoip = set(ctx.env_files().get(k, "") for k in ("GEOIP_CITY_DB", "GEOIP_ASN_DB")) - {""}
    for name in names:
        if name.endswith(".mmdb") and name not in geoip:
            found.append(
                Finding(
                    "10",
                    f"the upload contains the GeoIP database {name}, which no GEOIP_*_DB names",
                )
            )
    for required in REQUIRED_UPLOAD:
        if required not in names:
            found.append(Finding("10", f"the functions upload lacks {required}"))
    ctx.notes.append(f"10: functions upload: {len(names)} files, {size / 1e6:.1f} MB uncompressed")
    return found


def _source_map_findings(ctx: Context) -> list[Finding]:
    if not ctx.web_build:
        return []
    files, js = _bundle(ctx)
    found = []
    maps = [f for f in files if f.endswith(".map")]
    if maps:
        found.append(
            Finding("10", f"Hosting would serve source maps publicly: {maps[0]} (+{len(maps) - 1})")
        )
    if "sourceMappingURL=" in js:
        found.append(
            Finding("10", "the served JavaScript points at source maps (sourceMappingURL)")
        )
    return found


def check_10_hardening(ctx: Context) -> list[Finding]:
    return (
        _app_check_findings(ctx)
        + _lock_findings(ctx)
        + _upload_findings(ctx)
        + _source_map_findings(ctx)
    )


CHECKS: Final[dict[str, Check]] = {
    "cli": check_general,
    "1": check_1_blocking_uri,
    "2": check_2_venv,
    "3": check_3_hosting,
    "4": check_4_client_ip,
    "5": check_5_resources,
    "6": check_6_service_account,
    "7": check_7_turn_secret,
    "8": check_8_region,
    "9": check_9_indexes,
    "10": check_10_hardening,
}


def run_checks(
    root: Path = ROOT, only: Sequence[str] | None = None, web_build: bool = True
) -> tuple[list[Finding], list[str]]:
    ctx = Context(root=root, web_build=web_build)
    found: list[Finding] = []
    try:
        for point, check in CHECKS.items():
            if only and point not in only:
                continue
            try:
                found += check(ctx)
            except ProbeFailed as error:
                if "cli" not in found_points(found):
                    found.append(Finding("cli", f"the Firebase CLI rejects the project: {error}"))
                ctx.notes.append(f"{point}: skipped, the functions could not be discovered")
            except (OSError, subprocess.SubprocessError, ValueError, KeyError) as error:
                found.append(
                    Finding(point, f"the check itself failed: {type(error).__name__}: {error}")
                )
    finally:
        if ctx.scratch is not None:
            shutil.rmtree(ctx.scratch, ignore_errors=True)
    return found, ctx.notes


def found_points(found: Iterable[Finding]) -> set[str]:
    return {f.point for f in found}


def main(argv: Sequence[str] | None = None) -> int:
    parse = argparse.ArgumentParser(
        prog="python -m tools.deploy.check",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parse.add_argument("--only", help="comma-separated points (cli,1..10)")
    parse.add_argument("--no-web-build", action="store_true", help="skip building web/")
    parse.add_argument("--json", action="store_true", help="print the findings as JSON")
    args = parse.parse_args(argv)
    only = [p.strip() for p in args.only.split(",")] if args.only else None
    found, notes = run_checks(ROOT, only, web_build=not args.no_web_build)
    if args.json:
        print(json.dumps({"findings": [f.__dict__ for f in found], "notes": notes}))
    else:
        for note in notes:
            print(f"note: {note}")
        for finding in found:
            print(f"FAIL {finding}")
        checked = ", ".join(only or CHECKS)
        print(f"deploy_check: {len(found)} finding(s) ({checked})")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
