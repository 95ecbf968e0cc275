"""The system-package decision of tools/system_packages.py: what is missing, and what to run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tools import system_packages as sp
from tools.system_packages import CHROMIUM, IP, NODE, NPM, TSHARK, TURNSERVER, Need


def which_from(present: set[str]) -> Callable[[str], str | None]:
    """A `shutil.which` that finds only the commands in `present`."""
    return lambda command: f"/usr/bin/{command}" if command in present else None


def test_nothing_missing_means_nothing_to_do() -> None:
    everything = {n.command for n in sp.BROWSER_TESTS + sp.EMULATOR_TESTS}
    # Files (the emoji font) are looked up with `exists`: here all present, whatever this
    # machine has installed.
    needs = sp.BROWSER_TESTS + sp.EMULATOR_TESTS
    assert sp.missing(needs, which_from(everything), exists=lambda path: path in everything) == []
    assert sp.plan([], is_root=False, has_apt=False) == sp.Plan()


def test_missing_lists_each_need_once_in_order() -> None:
    needs = (*sp.EMULATOR_TESTS, *sp.BROWSER_TESTS)
    commands = [
        n
        for n in sp.missing(needs, which_from({"node", "npm"}))
        if not Path(n.command).is_absolute()
    ]
    assert commands == [TURNSERVER, CHROMIUM, IP, TSHARK]


def test_files_are_needs_too(tmp_path: Path) -> None:
    there = tmp_path / "emulator.jar"
    there.write_bytes(b"")
    jar = Need(str(there), "google-cloud-cli-firestore-emulator", "the Firestore emulator")
    gone = Need(str(tmp_path / "gone.jar"), "google-cloud-cli-pubsub-emulator", "Pub/Sub")
    assert sp.missing([jar, gone], which_from(set())) == [gone]


def test_packages_are_the_debian_names() -> None:
    assert sp.packages([TURNSERVER, CHROMIUM, TSHARK, IP, NODE, NPM]) == [
        "coturn",
        "chromium",
        "tshark",
        "iproute2",
        "nodejs",
        "npm",
    ]
    twice = Need("other-name", "coturn", "a second command of the same package")
    assert sp.packages([TURNSERVER, twice]) == ["coturn"]


def test_root_with_apt_updates_then_installs_non_interactively() -> None:
    decision = sp.plan([TURNSERVER, TSHARK], is_root=True, has_apt=True)
    assert decision.error is None
    update, install = decision.commands
    assert update[0] == "apt-get" and update[-1] == "update"
    assert install[0] == "apt-get"
    assert install[-5:] == ("install", "-y", "--no-install-recommends", "coturn", "tshark")
    # Another apt run holding the dpkg lock is waited for, not a failure.
    assert f"DPkg::Lock::Timeout={sp.DPKG_LOCK_TIMEOUT_SECONDS}" in install
    # tshark's debconf question ("may non-superusers capture?") must not wait for an answer.
    assert decision.env == {"DEBIAN_FRONTEND": "noninteractive"}


def test_simulate_adds_apt_simulate() -> None:
    _, install = sp.plan([CHROMIUM], is_root=True, has_apt=True, simulate=True).commands
    assert install[-2:] == ("--simulate", "chromium")


def test_not_root_fails_with_one_line_naming_package_and_command() -> None:
    decision = sp.plan([TURNSERVER, CHROMIUM], is_root=False, has_apt=True)
    assert not decision.commands
    message = decision.error
    assert message is not None and "\n" not in message
    assert "turnserver (Debian package coturn" in message
    assert "chromium (Debian package chromium" in message
    assert (
        "sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y "
        "--no-install-recommends coturn chromium" in message
    )


def test_no_apt_names_the_packages() -> None:
    message = sp.plan([TSHARK], is_root=True, has_apt=False).error
    assert message is not None and "\n" not in message
    assert "no apt-get" in message and "tshark" in message


def test_ensure_without_root_raises_before_running_anything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sp, "_is_root", lambda: False)

    def run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("nothing may run without root")

    monkeypatch.setattr(sp.subprocess, "run", run)
    with pytest.raises(sp.SystemPackagesError, match="coturn"):
        sp.ensure(NODE, TURNSERVER, which=which_from({"node", "apt-get"}))


def test_ensure_with_everything_present_runs_nothing() -> None:
    present = which_from({"node", "npm", "turnserver"})
    assert sp.ensure(*sp.EMULATOR_TESTS, which=present) == []
