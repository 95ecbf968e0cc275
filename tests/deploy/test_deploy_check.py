"""deploy_check fails on each broken point of issue 17 when it is reintroduced.

Each test copies the checkout (tracked and new files; node_modules, functions/venv and
web/node_modules are linked, not copied), applies one breakage to the copy, runs
``python -m tools.deploy.check`` there, and asserts the finding names that point. The control
runs the same check on an unbroken copy and expects no finding, so a check that always fails
cannot pass here either.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINKED = ("node_modules", "functions/venv", "web/node_modules")


def _copy(destination: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not source.is_file() or any(name.startswith(f"{link}/") for link in LINKED):
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    for link in LINKED:
        if (ROOT / link).exists():
            (destination / link).parent.mkdir(parents=True, exist_ok=True)
            (destination / link).symlink_to(ROOT / link)
    return destination


def _run_check(root: Path, only: str, web: bool = False) -> list[dict[str, str]]:
    args = [sys.executable, "-m", "tools.deploy.check", "--json", "--only", only]
    if not web:
        args.append("--no-web-build")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=600, env=env)
    assert result.stdout.strip(), result.stderr
    findings: list[dict[str, str]] = json.loads(result.stdout.strip().splitlines()[-1])["findings"]
    return findings


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _json_edit(path: Path, change: Callable[[dict], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return _copy(tmp_path / "repo")


def _remove_step(name: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / "tools/deploy/__main__.py"
        text = path.read_text(encoding="utf-8")
        # a Step(...) call in STEPS spans one line or several (ending in "    ),"); drop it whole
        step = re.compile(r'    Step\(\s*"' + re.escape(name) + r'",.*?\),\n', re.DOTALL)
        assert step.search(text), f"step {name!r} not in {path}"
        path.write_text(step.sub("", text, count=1), encoding="utf-8")

    return apply


def _hard_coded_config(root: Path) -> None:
    # Back to a build-time config (VITE_FIREBASE_*): the production bundle no longer reads
    # init.json, so a build made without those variables has no API key.
    config = root / "web/src/config.ts"
    _edit(
        config,
        "fetchJson<FirebaseOptions>(HOSTING_CONFIG_PATH),",
        "Promise.resolve({ apiKey: env.VITE_FIREBASE_API_KEY, projectId: "
        "env.VITE_FIREBASE_PROJECT_ID } as FirebaseOptions),",
    )
    _edit(
        config,
        "throw new Error(`${HOSTING_CONFIG_PATH} has no apiKey`)",
        'throw new Error("no apiKey")',
    )


def _no_refusal(root: Path) -> None:
    _edit(
        root / "functions/avmeets/client_ip.py",
        'REFUSED: Final[frozenset[str]] = frozenset({"google-service", "link-local"})',
        "REFUSED: Final[frozenset[str]] = frozenset()",
    )


def _default_resources(root: Path) -> None:
    _edit(
        root / "functions/main.py",
        '@identity_fn.before_user_signed_in(**_opts("auth_callback"))',
        "@identity_fn.before_user_signed_in()",
    )


def _default_service_account(root: Path) -> None:
    _edit(
        root / "functions/main.py",
        "options.set_global_options(**runtime_options.global_options(RUNTIME))",
        "options.set_global_options(region=RUNTIME.region)",
    )


def _unconditional_secret(root: Path) -> None:
    _edit(
        root / "functions/main.py",
        "TURN_SECRETS = [TURN_SECRET] if RUNTIME.turn_configured else []",
        "TURN_SECRETS = [TURN_SECRET]",
    )


def _hard_coded_region(root: Path) -> None:
    _edit(
        root / "functions/main.py",
        "options.set_global_options(**runtime_options.global_options(RUNTIME))",
        'options.set_global_options(region="us-central1", service_account=RUNTIME.service_account)',
    )


def _drop_open_legs_index(root: Path) -> None:
    def change(spec: dict) -> None:
        spec["indexes"] = [
            index
            for index in spec["indexes"]
            if [f["fieldPath"] for f in index["fields"]] != ["meetingId", "uids", "state"]
        ]

    _json_edit(root / "firestore.indexes.json", change)


def _drop_purge_group_index(root: Path) -> None:
    # The purge's step 4 queries the participants collection group on expiresAt: a query read
    # from the plan's shapes, not from a chain in the source.
    def change(spec: dict) -> None:
        for override in spec["fieldOverrides"]:
            key = (override["collectionGroup"], override["fieldPath"])
            if key == ("participants", "expiresAt"):
                override["indexes"] = [
                    i for i in override["indexes"] if i["queryScope"] != "COLLECTION_GROUP"
                ]

    _json_edit(root / "firestore.indexes.json", change)


def _no_app_check(root: Path) -> None:
    _edit(
        root / "functions/main.py",
        'CALLABLE = {"enforce_app_check": RUNTIME.enforce_app_check}',
        "CALLABLE: dict[str, bool] = {}",
    )


def _direct_dependencies_only(root: Path) -> None:
    direct = (root / "functions/requirements.in").read_text()
    (root / "functions/requirements.txt").write_text(direct)


def _public_source_maps(root: Path) -> None:
    _json_edit(
        root / "firebase.json",
        lambda c: c["hosting"].__setitem__("ignore", ["firebase.json", "**/.*"]),
    )
    _edit(root / "web/vite.config.ts", 'sourcemap: "hidden"', "sourcemap: true")


def _uploaded_build_folders(root: Path) -> None:
    # What `pip install ./functions` leaves behind, with the ignore list of before.
    (root / "functions/build/lib/avmeets").mkdir(parents=True)
    (root / "functions/build/lib/avmeets/db.py").write_text("# stale copy\n")
    (root / "functions/avmeets.egg-info").mkdir()
    (root / "functions/avmeets.egg-info/PKG-INFO").write_text("Name: avmeets\n")
    _json_edit(
        root / "firebase.json",
        lambda c: c["functions"][0].__setitem__(
            "ignore", ["venv", "__pycache__", "*.pyc", ".env.local", ".secret.local", "tests"]
        ),
    )


BREAKAGES: list[tuple[str, str, Callable[[Path], None], bool]] = [
    ("1-no-blocking-uri-fix-up", "1", _remove_step("blocking-uri"), False),
    ("2-no-functions-venv", "2", _remove_step("functions-venv"), False),
    ("3-no-web-build", "3", _remove_step("web-build"), False),
    ("3-build-time-config", "3", _hard_coded_config, True),
    ("4-google-address-recorded", "4", _no_refusal, False),
    ("5-default-resources", "5", _default_resources, False),
    ("6-default-service-account", "6", _default_service_account, False),
    ("7-secret-declared-always", "7", _unconditional_secret, False),
    ("8-hard-coded-region", "8", _hard_coded_region, False),
    ("9-missing-composite-index", "9", _drop_open_legs_index, False),
    ("9-missing-purge-group-index", "9", _drop_purge_group_index, False),
    ("10-no-app-check", "10", _no_app_check, False),
    ("10-direct-dependencies-only", "10", _direct_dependencies_only, False),
    ("10-public-source-maps", "10", _public_source_maps, True),
    ("10-build-folders-uploaded", "10", _uploaded_build_folders, False),
]


def test_an_unbroken_copy_passes(copy: Path) -> None:
    assert _run_check(copy, "cli,1,2,3,4,5,6,7,8,9,10", web=True) == []


@pytest.mark.parametrize(
    ("point", "breakage", "web"),
    [pytest.param(point, fn, web, id=name) for name, point, fn, web in BREAKAGES],
)
def test_each_breakage_is_reported(
    copy: Path, point: str, breakage: Callable[[Path], None], web: bool
) -> None:
    breakage(copy)
    findings = _run_check(copy, point, web=web)
    assert any(f["point"] == point for f in findings), findings
