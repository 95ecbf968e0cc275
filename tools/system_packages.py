"""System tools the local stacks need, installed from Debian's apt where they are missing.

Each nox session names the tools it needs (``ensure(NODE, TURNSERVER, ...)``). What is already
on PATH is left alone; what is missing is installed with apt when we run as root, in one
``apt-get update`` and one non-interactive ``apt-get install`` (tshark's debconf question then
takes its default instead of waiting for an answer). Without root, or without apt, nothing is
installed: the error is one line naming the packages and the exact command to run.

The decision (what to run, or what to tell the user) is pure: ``plan()`` takes what is missing
and the facts about the machine, and is unit-tested; ``ensure()`` only gathers the facts and
runs the plan.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Need:
    """A command some part of the stack runs (or an absolute path of a file it reads), and the
    Debian package that provides it."""

    command: str
    package: str
    purpose: str


NODE: Final = Need("node", "nodejs", "the Firebase CLI and the web build")
NPM: Final = Need("npm", "npm", "installing the Firebase CLI and the web app's packages")
TURNSERVER: Final = Need("turnserver", "coturn", "the TURN relay tests")
CHROMIUM: Final = Need("chromium", "chromium", "the browser tests")
IP: Final = Need("ip", "iproute2", "the browser tests' loopback-only network namespace")
TSHARK: Final = Need("tshark", "tshark", "the packet-capture privacy test")
#: Reactions are emoji: without a colour emoji font the browser tests' screenshots show boxes.
EMOJI_FONT: Final = Need(
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "fonts-noto-color-emoji",
    "the reactions in the browser tests' screenshots",
)

#: Where Debian's google-cloud-cli package puts the Google Cloud CLI. Its Firestore and Pub/Sub
#: emulators (which tools/emulators.py runs, the Firebase CLI being unable to download its own
#: here) are apt packages of their own; a CLI installed otherwise gets them with `gcloud
#: components install`.
GCLOUD_APT_ROOT: Final = "/usr/lib/google-cloud-sdk"
FIRESTORE_EMULATOR: Final = Need(
    f"{GCLOUD_APT_ROOT}/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar",
    "google-cloud-cli-firestore-emulator",
    "the Firestore emulator",
)
PUBSUB_EMULATOR: Final = Need(
    f"{GCLOUD_APT_ROOT}/platform/pubsub-emulator/bin/cloud-pubsub-emulator",
    "google-cloud-cli-pubsub-emulator",
    "the Pub/Sub emulator",
)


def _gcloud_emulators() -> tuple[Need, ...]:
    """The emulator packages, where the Google Cloud CLI itself came from apt."""
    if os.path.exists(f"{GCLOUD_APT_ROOT}/bin/gcloud"):
        return (FIRESTORE_EMULATOR, PUBSUB_EMULATOR)
    return ()


#: What each kind of run needs beyond Python.
EMULATORS: Final = (NODE, NPM, *_gcloud_emulators())
EMULATOR_TESTS: Final = (*EMULATORS, TURNSERVER)
#: The browser tests' privacy-mode and bandwidth tests relay through coturn inside their island.
BROWSER_TESTS: Final = (*EMULATORS, CHROMIUM, IP, TSHARK, TURNSERVER, EMOJI_FONT)

APT_GET: Final = "apt-get"
#: apt-get waits this long for another apt/dpkg run (another session, unattended-upgrades).
DPKG_LOCK_TIMEOUT_SECONDS: Final = 300
APT_ENV: Final[Mapping[str, str]] = {"DEBIAN_FRONTEND": "noninteractive"}


class SystemPackagesError(RuntimeError):
    """A needed tool is missing and cannot be installed here; the message says what to run."""


@dataclass(frozen=True)
class Plan:
    """What ``ensure`` must do: nothing, run ``commands`` (with ``env``), or fail with ``error``."""

    missing: tuple[Need, ...] = ()
    commands: tuple[tuple[str, ...], ...] = ()
    env: Mapping[str, str] | None = None
    error: str | None = None


def missing(
    needs: Iterable[Need],
    which: Callable[[str], str | None] = shutil.which,
    exists: Callable[[str], bool] = os.path.exists,
) -> list[Need]:
    """The needs whose command is not on PATH (or whose file does not exist), each once."""
    found: list[Need] = []
    for need in needs:
        if os.path.isabs(need.command):
            present = exists(need.command)
        else:
            present = which(need.command) is not None
        if need not in found and not present:
            found.append(need)
    return found


def packages(needs: Iterable[Need]) -> list[str]:
    """The Debian packages providing ``needs``, each once, in order."""
    return list(dict.fromkeys(need.package for need in needs))


def apt_commands(names: Sequence[str], *, simulate: bool = False) -> tuple[tuple[str, ...], ...]:
    """``apt-get update`` then a non-interactive install of ``names`` without recommends."""
    lock = f"DPkg::Lock::Timeout={DPKG_LOCK_TIMEOUT_SECONDS}"
    install = [APT_GET, "-o", lock, "install", "-y", "--no-install-recommends"]
    if simulate:
        install.append("--simulate")
    return ((APT_GET, "-o", lock, "update"), (*install, *names))


def manual_command(names: Sequence[str]) -> str:
    """The command line a person runs to install ``names`` themselves."""
    env = "DEBIAN_FRONTEND=noninteractive"
    install = ["sudo", env, APT_GET, "install", "-y", "--no-install-recommends", *names]
    return f"sudo {APT_GET} update && {shlex.join(install)}"


def _describe(needs: Sequence[Need]) -> str:
    return ", ".join(f"{n.command} (Debian package {n.package}, for {n.purpose})" for n in needs)


def plan(needs: Sequence[Need], *, is_root: bool, has_apt: bool, simulate: bool = False) -> Plan:
    """Decide how to get the missing ``needs``: pure, from what is missing and the machine."""
    if not needs:
        return Plan()
    names = packages(needs)
    if not has_apt:
        return Plan(
            tuple(needs),
            error=f"missing {_describe(needs)}; this machine has no {APT_GET}: install "
            f"{' '.join(names)} with its package manager and run nox again",
        )
    if not is_root:
        return Plan(
            tuple(needs),
            error=f"missing {_describe(needs)}; run `{manual_command(names)}` "
            "(or run nox as root, which installs them itself)",
        )
    return Plan(tuple(needs), apt_commands(names, simulate=simulate), dict(APT_ENV))


def _is_root() -> bool:
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0


def _log(message: str) -> None:
    print(f"system packages > {message}", file=sys.stderr, flush=True)


def ensure(
    *needs: Need,
    simulate: bool = False,
    which: Callable[[str], str | None] = shutil.which,
    log: Callable[[str], None] = _log,
) -> list[str]:
    """Install the packages of whichever ``needs`` are missing; return the packages installed.

    Raises SystemPackagesError (one line: the packages and the command) when they cannot be
    installed here, or when apt ran but a command is still missing. With ``simulate``, apt only
    shows what it would do (``--simulate``) and nothing is checked afterwards.
    """
    absent = missing(needs, which)
    decision = plan(
        absent, is_root=_is_root(), has_apt=which(APT_GET) is not None, simulate=simulate
    )
    if decision.error is not None:
        raise SystemPackagesError(decision.error)
    if not decision.commands:
        return []
    log(f"installing {_describe(absent)}")
    env = {**os.environ, **(decision.env or {})}
    for command in decision.commands:
        log(shlex.join(command))
        result = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, check=False)
        if result.returncode != 0:
            raise SystemPackagesError(
                f"`{shlex.join(command)}` failed with exit code {result.returncode}; "
                f"run `{manual_command(packages(absent))}` and look at its output"
            )
    if simulate:
        return packages(absent)
    still = missing(absent, which)
    if still:
        raise SystemPackagesError(
            f"apt installed {' '.join(packages(absent))} but {_describe(still)} is still not on "
            "PATH"
        )
    return packages(absent)
