"""`nox -s sabotage`: every claim of docs/security.md shown to be caught by the test cited for it.

For each recorded sabotage (tests/sabotage/sabotages.py: a small change that breaks one claim in
the product), this copies the working tree to a temporary directory, applies the change there
(each replacement must find its old text exactly once, else the run stops), runs the cited
test(s) in the copy, and reads which of them failed (pytest's or vitest's JUnit XML). The cited
tests are also run once on an unpatched copy (grouped by kind, one emulator start per kind): a
sabotage counts as caught only when a cited test that passes unpatched fails under it.

The copies reuse the working tree's installs through symbolic links (functions/venv,
node_modules, web/node_modules, .cache) and nox's virtualenv of this session (``--envdir`` with
the emulator_tests and browser_tests environments linked to it, ``-R``), so nothing is
installed again; emulator and browser tests run through the copy's own `nox -s emulator_tests`
and `nox -s browser_tests` (the web app rebuilt from the copy's sources).

    python -m tools.sabotage                   # every sabotage (what `nox -s sabotage` runs)
    python -m tools.sabotage signals-linger    # only these (slugs), with their baseline
    python -m tools.sabotage --list            # the sabotages, without running anything
    python -m tools.sabotage --no-baseline x   # skip the unpatched runs (development only)
    python -m tools.sabotage --rejudge         # judge the runs stored in .cache/sabotage again

Runs leave ``<name>.log``, ``<name>.xml`` (JUnit) and ``<name>.json`` (exit code, seconds) in
.cache/sabotage. A sabotage is caught when a cited test that passed unpatched fails under it and
its failure matches the sabotage's ``expect``. Exit code 0 only when every selected sabotage was
caught.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Final, Literal

ROOT: Final = Path(__file__).resolve().parent.parent
SECURITY_DOC: Final = ROOT / "docs" / "security.md"
TABLE_HEADER: Final = "| Claim | Control | Proved by |"
#: Where sabotages may change things: the product, never the tests.
PRODUCT_PATHS: Final = ("functions/avmeets/", "firestore.rules", "web/src/")
#: Installed things a copy links to instead of installing again (all ignored by git).
SHARED: Final = ("functions/venv", "node_modules", "web/node_modules", ".cache")
LOG_DIR: Final = ROOT / ".cache" / "sabotage"

Kind = Literal["unit", "web", "emulator", "browser"]
KINDS: Final[tuple[Kind, ...]] = ("unit", "web", "emulator", "browser")
#: The nox session a kind runs in the copy (None: run directly).
NOX_SESSIONS: Final[Mapping[Kind, str]] = {
    "emulator": "emulator_tests",
    "browser": "browser_tests",
}
#: Seconds one run may take before it is stopped (and counted as not caught).
TIMEOUTS: Final[Mapping[Kind, float]] = {
    "unit": 300.0,
    "web": 300.0,
    "emulator": 1500.0,
    "browser": 1800.0,
}

Outcome = Literal["passed", "failed", "error", "skipped"]
Verdict = Literal["caught", "failed-otherwise", "survived", "broken", "baseline-red", "not-run"]


class SabotageError(RuntimeError):
    """A sabotage cannot be applied (its text moved) or the table and the sabotages disagree."""


@dataclass(frozen=True)
class Edit:
    """Replace ``old`` (which must occur exactly once) with ``new`` in ``path`` (from the root)."""

    path: str
    old: str
    new: str


@dataclass(frozen=True)
class Sabotage:
    slug: str
    #: The Claim cell of the docs/security.md row this sabotage breaks, word for word.
    claim: str
    #: What the sabotage does to the product, in a line.
    why: str
    kind: Kind
    #: The cited tests to run: pytest node ids or files (unit, emulator, browser) or
    #: web/src test files (web).
    tests: tuple[str, ...]
    edits: tuple[Edit, ...]
    #: A regular expression the failure of a cited test must match (its message or report):
    #: the evidence that the test failed because of the sabotage, not for some other reason.
    expect: str


# --------------------------------------------------------------------------- applying edits


def apply_to_text(text: str, edits: Iterable[Edit], path: str = "<text>") -> str:
    """``text`` with each edit applied in turn; ``SabotageError`` unless each old text occurs
    exactly once (at the time it is applied) and changes something."""
    for edit in edits:
        if edit.old == edit.new:
            raise SabotageError(f"{path}: an edit that changes nothing: {edit.old!r}")
        count = text.count(edit.old) if edit.old else 0
        if count != 1:
            where = "not found" if count == 0 else f"found {count} times"
            raise SabotageError(f"{path}: the sabotaged text is {where}: {edit.old!r}")
        text = text.replace(edit.old, edit.new, 1)
    return text


def _by_file(edits: Iterable[Edit]) -> dict[str, list[Edit]]:
    files: dict[str, list[Edit]] = {}
    for edit in edits:
        if not edit.path.startswith(PRODUCT_PATHS):
            raise SabotageError(f"{edit.path}: sabotages change the product only {PRODUCT_PATHS}")
        files.setdefault(edit.path, []).append(edit)
    return files


def sabotaged_files(root: Path, edits: Iterable[Edit]) -> dict[str, str]:
    """``{path: sabotaged text}`` of every file the edits change, computed without writing."""
    changed: dict[str, str] = {}
    for path, file_edits in _by_file(edits).items():
        try:
            text = (root / path).read_text(encoding="utf-8")
        except OSError as error:
            raise SabotageError(f"{path}: cannot read it: {error}") from error
        changed[path] = apply_to_text(text, file_edits, path)
    return changed


def apply_edits(root: Path, edits: Iterable[Edit]) -> list[str]:
    """Apply the edits to the files under ``root`` (all checked before any is written)."""
    changed = sabotaged_files(root, edits)
    for path, text in changed.items():
        (root / path).write_text(text, encoding="utf-8")
    return sorted(changed)


# --------------------------------------------------------------------------- the claims table


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def security_claims(markdown: str) -> dict[str, str]:
    """``{claim: "Proved by" cell}`` of the table headed ``| Claim | Control | Proved by |``."""
    lines = markdown.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == TABLE_HEADER)
    except StopIteration:
        raise SabotageError(f"no table headed {TABLE_HEADER!r}") from None
    claims: dict[str, str] = {}
    for line in lines[start + 2 :]:
        if not line.strip().startswith("|"):
            break
        cells = _cells(line)
        if len(cells) != 3:
            raise SabotageError(f"a row of the claims table without three cells: {line!r}")
        if cells[0] in claims:
            raise SabotageError(f"the claim {cells[0]!r} is in the table twice")
        claims[cells[0]] = cells[2]
    if not claims:
        raise SabotageError("the claims table has no rows")
    return claims


def test_file(test: str) -> str:
    """The file of a node id (``tests/x.py::test_y[p]`` -> ``tests/x.py``)."""
    return test.split("::", 1)[0]


def check_table(claims: Mapping[str, str], sabotages: Sequence[Sabotage]) -> list[str]:
    """What is wrong between the claims table and the sabotages (empty when nothing)."""
    problems: list[str] = []
    slugs = [s.slug for s in sabotages]
    problems += [
        f"slug {slug!r} is used twice" for slug in sorted(set(slugs)) if slugs.count(slug) > 1
    ]
    covered = {s.claim for s in sabotages}
    problems += [f"claim without a sabotage: {claim!r}" for claim in claims if claim not in covered]
    for s in sabotages:
        if s.claim not in claims:
            problems.append(f"{s.slug}: its claim is not in the table: {s.claim!r}")
            continue
        if not s.tests or not s.edits:
            problems.append(f"{s.slug}: a sabotage needs tests and edits")
        for test in s.tests:
            if test_file(test) not in claims[s.claim]:
                problems.append(f"{s.slug}: {test_file(test)} is not cited for {s.claim!r}")
    return problems


# --------------------------------------------------------------------------- test outcomes


@dataclass(frozen=True)
class TestOutcome:
    __test__ = False  # not a pytest test class

    #: ``<module or file>::<name>``, as the JUnit report names it.
    test: str
    outcome: Outcome
    message: str = ""
    #: The whole failure report (message and text), searched for a sabotage's ``expect``.
    details: str = field(default="", repr=False, compare=False)


def _first_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[0][:200] if lines else ""


#: JUnit's elements for a test case that did not pass.
_JUNIT_OUTCOMES: Final[Mapping[str, Outcome]] = {
    "failure": "failed",
    "error": "error",
    "skipped": "skipped",
}


def parse_junit(xml_text: str) -> list[TestOutcome]:
    """Every test case of a JUnit XML report (pytest's or vitest's) and its outcome."""
    root = ET.fromstring(xml_text)
    outcomes: list[TestOutcome] = []
    for case in root.iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcome: Outcome = "passed"
        message = details = ""
        for child in case:
            if child.tag in _JUNIT_OUTCOMES:
                outcome = _JUNIT_OUTCOMES[child.tag]
                message = _first_line(child.get("message")) or _first_line(child.text)
                details = f"{child.get('message') or ''}\n{child.text or ''}"
                break
        outcomes.append(TestOutcome(name, outcome, message, details))
    return outcomes


def _module_of(test: str) -> tuple[str, str]:
    """(``tests.unit.test_x`` or ``src/…/x.test.ts``, test name or "") of a cited test."""
    path, _, name = test.partition("::")
    if path.endswith(".py"):
        return path[: -len(".py")].replace("/", "."), name
    return path.removeprefix("web/"), name


def belongs(outcome: TestOutcome, test: str) -> bool:
    """Whether a JUnit test case is (one of) the cited ``test``."""
    module, name = _module_of(test)
    classname, _, case = outcome.test.partition("::")
    same_module = classname == module or classname.startswith(module + ".")
    if not same_module and not module.startswith("tests."):
        same_module = classname.endswith(module)  # vitest names files relative to web/
    if not same_module:
        return False
    return not name or case == name or (case.startswith(name + "[") and "[" not in name)


def select(outcomes: Iterable[TestOutcome], tests: Iterable[str]) -> list[TestOutcome]:
    wanted = list(tests)
    return [o for o in outcomes if any(belongs(o, t) for t in wanted)]


@dataclass
class Run:
    returncode: int
    seconds: float
    outcomes: list[TestOutcome]
    log: str


def green(run: Run | None, tests: Sequence[str]) -> bool:
    """Whether ``run`` passed every cited test (at least one ran, none failed or skipped)."""
    if run is None:
        return False
    mine = select(run.outcomes, tests)
    return (
        bool(mine)
        and all(o.outcome == "passed" for o in mine)
        and (
            run.returncode == 0 or run.outcomes != mine  # a grouped run may fail on another test
        )
    )


def failures(run: Run | None, tests: Sequence[str]) -> list[TestOutcome]:
    """The cited tests that failed (or errored) in ``run``."""
    if run is None:
        return []
    return [o for o in select(run.outcomes, tests) if o.outcome in ("failed", "error")]


def caught_by(run: Run | None, tests: Sequence[str], expect: str) -> list[TestOutcome]:
    """The cited tests whose failure in ``run`` matches ``expect`` (the sabotage's evidence)."""
    pattern = re.compile(expect, re.MULTILINE)
    return [o for o in failures(run, tests) if pattern.search(o.details or o.message)]


def verdict(
    baseline: Run | None,
    sabotaged: Run | None,
    tests: Sequence[str],
    expect: str,
    *,
    baseline_checked: bool = True,
) -> Verdict:
    """Caught: a cited test passed unpatched and failed under the sabotage, as ``expect`` says.

    A cited test failing for another reason (its failure does not match ``expect``: a flaky
    service, a sabotage that broke something else first) proves nothing: ``failed-otherwise``.
    """
    if sabotaged is None:
        return "not-run"
    if baseline_checked and not green(baseline, tests):
        return "baseline-red"
    if sabotaged.returncode != 0 and caught_by(sabotaged, tests, expect):
        return "caught"
    if sabotaged.returncode != 0 and failures(sabotaged, tests):
        return "failed-otherwise"
    mine = select(sabotaged.outcomes, tests)
    if sabotaged.returncode == 0 and mine and all(o.outcome == "passed" for o in mine):
        return "survived"
    return "broken"  # no cited test failed, yet the run did not pass: see its log


# --------------------------------------------------------------------------- running in a copy


def tree_files(source: Path) -> list[str]:
    """The working tree's files as git sees them: tracked and untracked, not ignored."""
    result = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=source,
        capture_output=True,
        check=True,
    )
    return sorted({p for p in result.stdout.decode().split("\0") if p})


def copy_tree(source: Path, dest: Path) -> None:
    """Copy the working tree (not its ignored files) and link the shared installs into it."""
    for relative in tree_files(source):
        origin = source / relative
        if not origin.exists() and not origin.is_symlink():
            continue  # deleted in the working tree
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, target, follow_symlinks=False)
    for shared in SHARED:
        if (source / shared).exists():
            (dest / shared).parent.mkdir(parents=True, exist_ok=True)
            (dest / shared).symlink_to(source / shared)


def command(
    kind: Kind, tests: Sequence[str], junit: Path, copy: Path, envdir: Path, python: str
) -> tuple[list[str], Path]:
    """The command running ``tests`` of ``kind`` in ``copy``, and its working directory."""
    if kind == "unit":
        return [
            python,
            "-m",
            "pytest",
            *tests,
            f"--junitxml={junit}",
            "-p",
            "no:cacheprovider",
        ], copy
    if kind == "web":
        files = [t.removeprefix("web/") for t in tests]
        vitest = str(copy / "web" / "node_modules" / ".bin" / "vitest")
        return [
            vitest,
            "run",
            *files,
            "--reporter=default",
            "--reporter=junit",
            f"--outputFile.junit={junit}",
        ], copy / "web"
    session = NOX_SESSIONS[kind]
    nox = [python, "-m", "nox", "-f", str(copy / "noxfile.py"), "--envdir", str(envdir), "-R"]
    return [*nox, "-s", session, "--", *tests, f"--junitxml={junit}"], copy


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signum)
        try:
            process.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            continue


def run_tests(
    kind: Kind, tests: Sequence[str], copy: Path, envdir: Path, log: Path, python: str
) -> Run:
    """Run the tests in the copy, output to ``log``; the outcomes from their JUnit report."""
    junit = log.with_suffix(".xml")
    junit.unlink(missing_ok=True)
    cmd, cwd = command(kind, tests, junit, copy, envdir, python)
    started = time.monotonic()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        sink.write(f"$ (cd {cwd} && {' '.join(cmd)})\n".encode())
        sink.flush()
        process = subprocess.Popen(
            cmd, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            returncode = process.wait(timeout=TIMEOUTS[kind])
        except subprocess.TimeoutExpired:
            _stop_group(process)
            sink.write(f"\nsabotage: stopped after {TIMEOUTS[kind]:.0f} s\n".encode())
            returncode = -1
        except BaseException:
            _stop_group(process)
            raise
    seconds = time.monotonic() - started
    log.with_suffix(".json").write_text(
        json.dumps({"returncode": returncode, "seconds": round(seconds, 1)}) + "\n",
        encoding="utf-8",
    )
    run = stored_run(log)
    assert run is not None  # its log was just written
    return run


def stored_run(log: Path) -> Run | None:
    """A finished run from its files: ``<name>.log``, its JUnit report ``<name>.xml`` and
    ``<name>.json`` (exit code and duration). Without the latter (a run older than it), the
    exit code is taken to be 1 exactly when the report holds a failure or an error."""
    if not log.exists():
        return None
    try:
        outcomes = parse_junit(log.with_suffix(".xml").read_text(encoding="utf-8"))
    except (OSError, ET.ParseError):
        outcomes = []
    try:
        meta = json.loads(log.with_suffix(".json").read_text(encoding="utf-8"))
        returncode, seconds = int(meta["returncode"]), float(meta["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        returncode = int(any(o.outcome in ("failed", "error") for o in outcomes))
        seconds = 0.0
    return Run(returncode, seconds, outcomes, str(log))


def stored_baseline(log_dir: Path, kind: Kind) -> Run | None:
    """The unpatched runs of ``kind`` stored in ``log_dir`` (``baseline-<kind>*.log``) as one:
    each test's outcome from the latest run that ran it."""
    logs = sorted(log_dir.glob(f"baseline-{kind}*.log"), key=lambda p: p.stat().st_mtime)
    runs = [run for run in map(stored_run, logs) if run is not None]
    if not runs:
        return None
    latest: dict[str, TestOutcome] = {}
    for run in runs:
        latest.update((o.test, o) for o in run.outcomes)
    outcomes = list(latest.values())
    returncode = int(any(o.outcome in ("failed", "error") for o in outcomes))
    return Run(returncode, sum(r.seconds for r in runs), outcomes, runs[-1].log)


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A temporary directory with the nox environments the copies reuse."""
    with tempfile.TemporaryDirectory(prefix="avmeets-sabotage-") as raw:
        base = Path(raw)
        envdir = base / "nox"
        envdir.mkdir()
        for session in NOX_SESSIONS.values():
            (envdir / session).symlink_to(Path(sys.prefix))
        yield base


def run_copy(
    base: Path,
    name: str,
    kind: Kind,
    tests: Sequence[str],
    edits: Sequence[Edit],
    log_dir: Path,
    python: str,
) -> Run:
    """Copy the tree, apply ``edits``, run ``tests``; the copy is removed afterwards."""
    copy = base / name
    try:
        copy_tree(ROOT, copy)
        apply_edits(copy, edits)
        return run_tests(kind, tests, copy, base / "nox", log_dir / f"{name}.log", python)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


# --------------------------------------------------------------------------- the report


@dataclass
class Result:
    slug: str
    claim: str
    why: str
    kind: Kind
    tests: list[str]
    verdict: Verdict
    baseline: str
    #: The cited tests that failed under the sabotage, and the first line of each failure.
    failed: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    #: Those of them whose failure matched the sabotage's ``expect``.
    caught_by: list[str] = field(default_factory=list)
    returncode: int = 0
    seconds: float = 0.0
    log: str = ""


def baseline_label(run: Run | None, tests: Sequence[str], checked: bool) -> str:
    if not checked:
        return "not checked"
    if run is None:
        return "not run"
    mine = select(run.outcomes, tests)
    if not mine:
        return "no cited test ran"
    passed = sum(o.outcome == "passed" for o in mine)
    return f"{passed}/{len(mine)} passed"


def _short(tests: Sequence[str], width: int = 60) -> str:
    """The first test's name (cut to ``width``) and how many more."""
    if not tests:
        return "-"
    name = tests[0].split("::", 1)[-1]
    name = name if len(name) <= width else name[: width - 1] + "…"
    return name + (f" (+{len(tests) - 1})" if len(tests) > 1 else "")


def render(results: Sequence[Result], seconds: float) -> str:
    """The closing table: one line per sabotage, then the totals."""
    head = ("sabotage", "kind", "verdict", "unpatched", "caught by", "s")
    rows = [
        (
            r.slug,
            r.kind,
            r.verdict.upper() if r.verdict != "caught" else "caught",
            r.baseline,
            _short(r.caught_by) if r.caught_by or not r.failed else _short(r.failed) + " otherwise",
            f"{r.seconds:.0f}",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    lines = [
        " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [head, *rows]
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    caught = sum(r.verdict == "caught" for r in results)
    claims = {r.claim for r in results}
    claims_caught = {r.claim for r in results} - {r.claim for r in results if r.verdict != "caught"}
    lines.append(
        f"{caught} of {len(results)} sabotages caught; {len(claims_caught)} of {len(claims)} "
        f"claims with every sabotage caught; {seconds / 60:.1f} min"
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def _selected(sabotages: Sequence[Sabotage], slugs: Sequence[str]) -> list[Sabotage]:
    known = {s.slug for s in sabotages}
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise SabotageError(f"unknown sabotage(s): {', '.join(unknown)} (see --list)")
    return [s for s in sabotages if not slugs or s.slug in slugs]


def _log(message: str) -> None:
    print(f"sabotage > {message}", file=sys.stderr, flush=True)


def _baselines(
    base: Path, chosen: Sequence[Sabotage], log_dir: Path, python: str, suffix: str
) -> dict[Kind, Run]:
    """The cited tests run unpatched, grouped by kind (one emulator start per kind)."""
    runs: dict[Kind, Run] = {}
    for kind in KINDS:
        tests = sorted({t for s in chosen if s.kind == kind for t in s.tests})
        if not tests:
            continue
        _log(f"unpatched {kind} run of {len(tests)} cited test(s)")
        runs[kind] = run_copy(base, f"baseline-{kind}{suffix}", kind, tests, (), log_dir, python)
        _log(f"  exit {runs[kind].returncode} after {runs[kind].seconds:.0f} s")
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.sabotage",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("slugs", nargs="*", help="run only these sabotages")
    parser.add_argument("--list", action="store_true", help="list the sabotages and stop")
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="do not run the cited tests unpatched (development only)",
    )
    parser.add_argument(
        "--rejudge",
        action="store_true",
        help="run nothing: judge the runs stored in the log directory again (after a change "
        "of a sabotage's expect, or to combine a run with a later run of some sabotages)",
    )
    parser.add_argument("--log-dir", type=Path, default=LOG_DIR)
    args = parser.parse_args(argv)

    from tests.sabotage.sabotages import SABOTAGES

    problems = check_table(security_claims(SECURITY_DOC.read_text(encoding="utf-8")), SABOTAGES)
    if problems:
        print(
            "\n".join(["docs/security.md and tests/sabotage disagree:", *problems]), file=sys.stderr
        )
        return 2
    try:
        chosen = _selected(SABOTAGES, args.slugs)
        for s in chosen:
            sabotaged_files(ROOT, s.edits)  # every edit still applies, before anything runs
    except SabotageError as error:
        print(f"sabotage: {error}", file=sys.stderr)
        return 2
    if args.list:
        for s in chosen:
            print(f"{s.slug:<32} {s.kind:<8} {s.claim}\n{'':<41} {s.why}")
        return 0

    log_dir: Path = args.log_dir.resolve()
    log_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    checked = not args.no_baseline
    if args.rejudge:
        baselines = {kind: stored_baseline(log_dir, kind) for kind in KINDS}
        results = [
            judge(s, baselines[s.kind], stored_run(log_dir / f"{s.slug}.log"), checked)
            for s in chosen
        ]
        seconds = sum(r.seconds for r in results) + sum(
            b.seconds for b in baselines.values() if b is not None
        )
    else:
        results = _run_all(chosen, log_dir, checked, partial=bool(args.slugs))
        seconds = time.monotonic() - started
        report = {"seconds": round(seconds), "results": [asdict(r) for r in results]}
        name = "results.json" if not args.slugs else f"results-{args.slugs[0]}.json"
        (log_dir / name).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(render(results, seconds))
    return 0 if results and all(r.verdict == "caught" for r in results) else 1


def judge(s: Sabotage, baseline: Run | None, run: Run | None, checked: bool) -> Result:
    """The result of one sabotage from its run and the unpatched run of its kind."""
    return Result(
        slug=s.slug,
        claim=s.claim,
        why=s.why,
        kind=s.kind,
        tests=list(s.tests),
        verdict=verdict(baseline, run, s.tests, s.expect, baseline_checked=checked),
        baseline=baseline_label(baseline, s.tests, checked),
        failed=[o.test for o in failures(run, s.tests)],
        messages=[o.message for o in failures(run, s.tests)],
        caught_by=[o.test for o in caught_by(run, s.tests, s.expect)],
        returncode=run.returncode if run is not None else 0,
        seconds=run.seconds if run is not None else 0.0,
        log=run.log if run is not None else "",
    )


def _run_all(
    chosen: Sequence[Sabotage], log_dir: Path, checked: bool, *, partial: bool
) -> list[Result]:
    python = sys.executable
    results: list[Result] = []
    with scratch() as base:
        suffix = f"-{chosen[0].slug}" if partial and chosen else ""
        baselines = _baselines(base, chosen, log_dir, python, suffix) if checked else {}
        for s in chosen:
            _log(f"{s.slug}: {s.why} ({s.kind}: {', '.join(s.tests)})")
            run = run_copy(base, s.slug, s.kind, s.tests, s.edits, log_dir, python)
            result = judge(s, baselines.get(s.kind), run, checked)
            results.append(result)
            _log(f"  {result.verdict} after {run.seconds:.0f} s (exit {run.returncode})")
            for test, message in zip(result.failed, result.messages, strict=True):
                mark = "caught" if test in result.caught_by else f"not /{s.expect}/"
                _log(f"    {test} ({mark}): {message}")
    return results


if __name__ == "__main__":
    sys.exit(main())
