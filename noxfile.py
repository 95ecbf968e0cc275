"""Nox sessions for AVMeets: lint, unit tests and Firebase Emulator Suite tests.

    nox -s tests                      # lint + unit tests + emulator tests (the CI command)
    nox -s tests -- -k two_peers      # extra arguments go to the emulator pytest run
    nox -s lint                       # ruff + mypy, and tsc + eslint + structure limits in web/
    nox -s emulator_tests -- -x       # only the emulator tests, for fast iteration
    nox -s browser_tests -- -k chat   # only the browser tests (builds web/ first)
    nox -s dev                        # run the emulators (+ hosting) until Ctrl-C
    nox -s deploy_check               # what a deploy needs, checked offline (part of tests)
    nox -s deploy -- --project <id>   # deploy to a Firebase project (docs/deploy.md)
    nox -s smoke -- --project <id>    # two aiortc peers against a deployment (or --emulators)
    nox -s lock                       # regenerate functions/requirements.txt from .in

The emulator bootstrap (functions/venv, node_modules, Java, local emulator binaries, the
fake-gcs-server Cloud Storage emulator on port 9199) lives in tools/emulators.py; the system
packages each session needs (coturn, Chromium, tshark, iproute2, Node.js) are installed by
tools/system_packages.py when missing.
"""

from __future__ import annotations

import os
import shlex
import signal
import sys
import threading
from pathlib import Path

import nox
from nox.command import CommandFailed

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from tools import emulators, system_packages  # noqa: E402

nox.needs_version = ">=2026.10.20"
nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

#: The functions runtime's Python; an absolute path where only pyenv has it (its shim
#: for an unselected version fails, and nox would not find the interpreter).
PYTHON = emulators.find_python("3.12") or "3.12"

MYPY_PATHS = ("functions/avmeets", "functions/main.py", "tests", "bench", "noxfile.py", "tools")
#: Exit code of pytest when it collected no test.
NO_TESTS_COLLECTED = 5
#: Exit codes of emulators.run_in_group after Ctrl-C, SIGTERM or SIGHUP.
STOPPED_BY_SIGNAL = frozenset(128 + s for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP))


def _system_packages(session: nox.Session, needs: tuple[system_packages.Need, ...]) -> None:
    """Install the missing system packages of ``needs`` (root), else stop with the command."""
    try:
        installed = system_packages.ensure(*needs)
    except system_packages.SystemPackagesError as error:
        session.error(str(error))
    if installed:
        session.log(f"installed system packages: {' '.join(installed)}")


def _install(session: nox.Session) -> None:
    session.install(
        "--disable-pip-version-check",
        "-r",
        "functions/requirements.txt",
        "-r",
        "tests/requirements.txt",
    )


def _has_python_files(path: Path) -> bool:
    if path.is_file():
        return path.suffix == ".py"
    return path.is_dir() and any(path.rglob("*.py"))


def _lint(session: nox.Session) -> None:
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    paths = [p for p in MYPY_PATHS if _has_python_files(ROOT / p)]
    session.run("mypy", *paths)
    _web_lint(session)


def _unit_tests(session: nox.Session) -> None:
    # An empty tests/unit is accepted for now; the emulator run must collect tests.
    session.run("pytest", "tests/unit", success_codes=[0, NO_TESTS_COLLECTED])


WEB_DIR = ROOT / "web"


def _web_install(session: nox.Session) -> None:
    """`npm ci` in web/ unless web/node_modules already matches its lock file (a stamp)."""
    try:
        emulators.ensure_web_modules()
    except (OSError, emulators.BootstrapError) as error:
        session.error(str(error))


def _web_lint(session: nox.Session) -> None:
    """tsc, eslint and the structure limits (web/scripts/check-structure.mjs)."""
    _web_install(session)
    with session.chdir(WEB_DIR):
        session.run("npm", "run", "lint", external=True)


def _web_unit_tests(session: nox.Session) -> None:
    """The web client's pure logic with vitest (web/src/**/*.test.ts)."""
    _web_install(session)
    with session.chdir(WEB_DIR):
        session.run("npm", "test", external=True)


def _build_web(session: nox.Session) -> None:
    """Install (unless current) and build the web app (web/dist, served by the hosting emulator)."""
    _web_install(session)
    with session.chdir(WEB_DIR):
        session.run("npm", "run", "build", external=True)  # prints the initial JS gzip size


#: The slowest tests of each run in its report, so CI's log shows where the suite's time goes.
DURATIONS = "--durations=15"

#: The browser tests' TURN relay: join_meeting hands it out; tests/browser/conftest.py runs a
#: coturn on it inside the loopback island (with the emulator's TURN_SECRET).
BROWSER_TURN_PORT = 34780


def _browser_tests(session: nox.Session) -> None:
    """tests/browser in Chromium against the emulators, hosting included."""
    try:
        env = emulators.bootstrap()
    except emulators.BootstrapError as error:
        session.error(str(error))
    # The fixture GeoIP databases, as in the emulator tests: a connection's public address in
    # the CDR gets its country and network (tests/browser/test_connection_path.py).
    geoip_dir = emulators.CACHE_DIR / "geoip-test"
    session.run("python", "-m", "tests.fixtures.geoip_db", str(geoip_dir), silent=True)
    turn = {"TURN_URLS": f"turn:127.0.0.1:{BROWSER_TURN_PORT}?transport=udp"}
    emulators.use_function_settings(env, {**emulators.test_function_env(geoip_dir), **turn})
    env["AVMEETS_TEST_TURN_PORT"] = str(BROWSER_TURN_PORT)
    python = Path(session.bin) / "python"
    # Paths among the posargs replace tests/browser, as for the emulator tests.
    paths, options = _split_paths(list(session.posargs))
    script = shlex.join(
        [str(python), "-m", "pytest", *(paths or ["tests/browser"]), DURATIONS, *options]
    )
    session.log(f"starting {', '.join(emulators.DEV_EMULATORS)} emulators for: {script}")
    returncode = emulators.run_in_group(
        emulators.exec_command(script, emulators.DEV_EMULATORS), env, schedule=True, storage=True
    )
    if returncode in STOPPED_BY_SIGNAL:
        session.error("interrupted; the emulators were stopped")
    if returncode != 0:
        session.error(f"browser tests failed (exit code {returncode})")


#: Emulator tests that need the functions limited to one organisation (a deploy-time setting):
#: they run in an emulator session of their own, with SIGN_IN_ORG set.
SIGN_IN_ORG_MARK = "sign_in_org"
SIGN_IN_ORG_TESTS = "tests/emulator/test_sign_in_org.py"
SIGN_IN_ORG_TEST_VALUE = "acme"


def _split_paths(posargs: list[str]) -> tuple[list[str], list[str]]:
    """The test paths among pytest's arguments (file, directory or node id), and the rest."""
    paths = [a for a in posargs if not a.startswith("-") and (ROOT / a.split("::")[0]).exists()]
    return paths, [a for a in posargs if a not in paths]


def _emulator_tests(session: nox.Session) -> None:
    """tests/emulator (or the paths given), then the SIGN_IN_ORG tests in a session of their own.

    Paths among the posargs replace tests/emulator, so `-- tests/emulator/test_x.py -x` runs
    that module only (and starts the second session only when asked for its tests).
    """
    paths, options = _split_paths(list(session.posargs))
    org_paths = [p for p in paths if "test_sign_in_org" in p]
    main_paths = [p for p in paths if p not in org_paths]
    if main_paths or not paths:
        _emulator_run(
            session,
            [*(main_paths or ["tests/emulator"]), "-m", f"not {SIGN_IN_ORG_MARK}", *options],
        )
    if org_paths or not paths:
        _emulator_run(
            session,
            [*(org_paths or [SIGN_IN_ORG_TESTS]), "-m", SIGN_IN_ORG_MARK, *options],
            {"SIGN_IN_ORG": SIGN_IN_ORG_TEST_VALUE},
        )


def _emulator_run(
    session: nox.Session, pytest_args: list[str], settings: dict[str, str] | None = None
) -> None:
    try:
        env = emulators.bootstrap()
    except emulators.BootstrapError as error:
        session.error(str(error))
    python = Path(session.bin) / "python"
    # The functions read their GeoIP databases from the environment: small fixture databases
    # whose contents the tests know (tests/fixtures/geoip_db.py).
    geoip_dir = emulators.CACHE_DIR / "geoip-test"
    session.run("python", "-m", "tests.fixtures.geoip_db", str(geoip_dir), silent=True)
    emulators.use_function_settings(
        env, {**emulators.test_function_env(geoip_dir), **(settings or {})}
    )
    # The emulators' and functions' output, for the tests that check what the functions log.
    output = emulators.CACHE_DIR / "emulator-tests.log"
    env["AVMEETS_EMULATOR_LOG"] = str(output)
    script = shlex.join([str(python), "-m", "pytest", DURATIONS, *pytest_args])
    session.log(f"starting {', '.join(emulators.TEST_EMULATORS)} emulators for: {script}")
    returncode = emulators.run_in_group(
        emulators.exec_command(script), env, tee=output, schedule=True, storage=True
    )
    if returncode in STOPPED_BY_SIGNAL:
        session.error("interrupted; the emulators were stopped")
    if returncode != 0:
        session.error(f"emulator tests failed (exit code {returncode})")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Lint, unit tests, emulator tests (posargs go to them), then the browser tests."""
    _system_packages(session, system_packages.EMULATOR_TESTS + system_packages.BROWSER_TESTS)
    _install(session)
    _lint(session)
    _unit_tests(session)
    _web_unit_tests(session)
    _deploy_check(session)
    _emulator_tests(session)
    _build_web(session)
    _browser_tests(session)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Run ruff (lint and format check) and mypy; tsc, eslint and the structure limits in web/."""
    _install(session)
    _lint(session)


@nox.session(python=PYTHON)
def emulator_tests(session: nox.Session) -> None:
    """Run only tests/emulator against the emulators (posargs go to pytest)."""
    _system_packages(session, system_packages.EMULATOR_TESTS)
    _install(session)
    _emulator_tests(session)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Run the benchmarks of issue 6 on the emulators; write bench/results.{json,md,png}.

    posargs go to bench/run.py (e.g. ``-- --smoke``, ``-- --runs 5``, ``-- --only
    purge-paths`` or ``-- --only uplink``). The functions count their Firestore operations into
    AVMEETS_BENCH_COUNT_FILE (bench/hook, bench/firestore_counting.py).
    """
    # Benchmark 6 (uplink) drives the built app in Chromium.
    _system_packages(session, (*system_packages.EMULATORS, system_packages.CHROMIUM))
    _install(session)
    session.install("--disable-pip-version-check", "-r", "bench/requirements.txt")
    _build_web(session)  # benchmark 6 drives the built app in Chromium
    try:
        env = emulators.bootstrap()
    except emulators.BootstrapError as error:
        session.error(str(error))
    emulators.use_function_settings(env, {})  # the deployed defaults (functions/.env)
    env["AVMEETS_BENCH_COUNT_FILE"] = str(emulators.CACHE_DIR / "bench-counts.jsonl")
    # The functions emulator's Python workers import bench/hook/sitecustomize.py, which counts
    # their Firestore operations into that file (bench/firestore_counting.py): nothing of it is
    # in the deployed functions.
    hook = str(ROOT / "bench" / "hook")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [hook, env.get("PYTHONPATH")]))
    python = Path(session.bin) / "python"
    script = shlex.join([str(python), "-m", "bench.run", *session.posargs])
    session.log(f"starting {', '.join(emulators.TEST_EMULATORS)} emulators for: {script}")
    # No local scheduler here: the benchmarks measure the functions they call, and a sweep
    # every minute in the middle of a timed run would only be noise in the ratios.
    returncode = emulators.run_in_group(emulators.exec_command(script), env, storage=True)
    if returncode in STOPPED_BY_SIGNAL:
        session.error("interrupted; the emulators were stopped")
    if returncode != 0:
        session.error(f"the benchmarks failed (exit code {returncode})")


#: Stryker for the web client's mutation testing, installed only by `nox -s mutation` (not in
#: web/package.json: every `nox -s tests` would install it). 9.x: 10.x needs Node 22.
STRYKER = ("@stryker-mutator/core@9.6.1", "@stryker-mutator/vitest-runner@9.6.1")
MUTMUT = "mutmut==3.8.1"


@nox.session(python=PYTHON)
def mutation(session: nox.Session) -> None:
    """Mutation testing (issue 18): mutmut over the server's pure modules, Stryker over the web
    client's; each module must have at least 80% of its mutants killed (tools/mutation.py).

    Not part of `tests` (minutes of CPU). ``-- server`` or ``-- web`` runs one half.
    """
    halves = set(session.posargs) or {"server", "web"}
    failed: list[str] = []
    if "server" in halves:
        _install(session)
        session.install("--disable-pip-version-check", MUTMUT)
        try:
            session.run("python", "-m", "tools.mutation")
        except CommandFailed:
            failed.append("server")
    if "web" in halves:
        _web_install(session)
        with session.chdir(WEB_DIR):
            session.run("npm", "install", "--no-save", "--no-audit", *STRYKER, external=True)
            session.run("npx", "stryker", "run", external=True)
        report = WEB_DIR / "reports" / "mutation" / "mutation.json"
        try:
            session.run("python", "-m", "tools.mutation", "--web-report", str(report))
        except CommandFailed:
            failed.append("web")
    if failed:
        session.error(f"mutation score below the threshold: {', '.join(failed)}")


@nox.session(python=PYTHON)
def browser_tests(session: nox.Session) -> None:
    """Build web/ and run only tests/browser against the emulators (posargs go to pytest)."""
    _system_packages(session, system_packages.BROWSER_TESTS)
    _install(session)
    _build_web(session)
    _browser_tests(session)


@nox.session(python=False)
def dev(session: nox.Session) -> None:
    """Install what the emulators need and run them, with hosting, until Ctrl-C."""
    _system_packages(session, system_packages.EMULATORS)
    try:
        env = emulators.bootstrap()
    except emulators.BootstrapError as error:
        session.error(str(error))
    emulators.use_function_settings(env, emulators.dev_function_env())
    _build_web(session)
    stop = threading.Event()
    emulators.announce_when_ready(emulators.DEV_EMULATORS, stop)
    try:
        returncode = emulators.run_in_group(
            emulators.start_command(), env, schedule=True, storage=True
        )
    finally:
        stop.set()
    if returncode != 0 and returncode not in STOPPED_BY_SIGNAL:
        session.error(f"the emulators exited with code {returncode}")
    session.log("emulators stopped")


# --- deploying (docs/deploy.md) -------------------------------------------------------------------


def _deploy_check(session: nox.Session, *pytest_args: str) -> None:
    """Offline deploy checks with the pinned CLI and SDK, then the proof that each breaks."""
    try:
        emulators.ensure_functions_venv()
        emulators.ensure_node_modules()
    except emulators.BootstrapError as error:
        session.error(str(error))
    with session.chdir(WEB_DIR):
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True, silent=True)
    session.run("python", "-m", "tools.deploy.check")
    session.run("pytest", "tests/deploy", *pytest_args)


@nox.session(python=PYTHON)
def deploy_check(session: nox.Session) -> None:
    """Check offline what `nox -s deploy` would deploy (posargs go to pytest tests/deploy)."""
    _install(session)
    _deploy_check(session, *session.posargs)


@nox.session(python=PYTHON)
def deploy(session: nox.Session) -> None:
    """Deploy to a Firebase project: nox -s deploy -- --project <id> [--dry-run] (or --help)."""
    session.install("--disable-pip-version-check", "-r", "functions/requirements.txt")
    session.run("python", "-m", "tools.deploy", *session.posargs)


@nox.session(python=PYTHON)
def smoke(session: nox.Session) -> None:
    """Two aiortc peers through a deployment: -- --project <id>, or -- --emulators (starts them)."""
    _install(session)
    if "--emulators" not in session.posargs:
        session.run("python", "-m", "tools.smoke", *session.posargs)
        return
    try:
        env = emulators.bootstrap()
    except emulators.BootstrapError as error:
        session.error(str(error))
    # The deployed defaults (functions/.env): rewriting .env.local keeps an earlier session's
    # test settings (short heartbeats, fixture GeoIP databases) out of the smoke test.
    emulators.use_function_settings(env, {})
    python = Path(session.bin) / "python"
    script = shlex.join([str(python), "-m", "tools.smoke", *session.posargs])
    returncode = emulators.run_in_group(emulators.exec_command(script), env, storage=True)
    if returncode != 0:
        session.error(f"the smoke test failed (exit code {returncode})")


@nox.session(python=PYTHON)
def lock(session: nox.Session) -> None:
    """Regenerate functions/requirements.txt (the lock) from functions/requirements.in."""
    session.run("python", "-m", "tools.lock")


# --- the sabotage proof (docs/security.md) --------------------------------------------------------


@nox.session(python=PYTHON)
def sabotage(session: nox.Session) -> None:
    """Break each claim of docs/security.md in a copy (tests/sabotage); its cited test must fail.

    posargs go to tools/sabotage.py: sabotage slugs to run only those, ``--list``,
    ``--no-baseline``. Not part of `nox -s tests`; run it through /work/bin/emu-lock like them.
    """
    listing = "--list" in session.posargs
    if not listing:
        _system_packages(session, system_packages.EMULATOR_TESTS + system_packages.BROWSER_TESTS)
    _install(session)
    if not listing:
        # The copies link to these installs (tools/sabotage.py): make them current first.
        try:
            emulators.ensure_functions_venv()
            emulators.ensure_node_modules()
        except emulators.BootstrapError as error:
            session.error(str(error))
        _web_install(session)
    session.run("python", "-m", "tools.sabotage", *session.posargs)
