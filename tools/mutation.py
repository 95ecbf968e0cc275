"""Mutation testing of the pure modules: the server's with mutmut, the web client's with Stryker.

`nox -s mutation` runs both (not part of `nox -s tests`: minutes of CPU). Server side:

mutmut 3 names a mutant by its file's path and finds the tests that reach it by the module name
they import; `avmeets` lives in `functions/avmeets`, so the run happens in a scratch copy of the
working tree where the package sits at `src/avmeets` (mutmut's own convention) and pytest's
`pythonpath` points there. The copy is thrown away; the working tree is never touched.

Each pure module is mutated and judged by its own unit tests (MODULES). A module's score is the
share of its mutants that a test kills; a mutant no test reaches counts against it. The run fails
when a side's modules together score below THRESHOLD; each module under it is listed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The pure modules (plain data and the time in, plain data out) and the unit tests that judge
#: each. Modules with I/O (services, store, cli, handlers, jobs, db, purge.execute) are not here:
#: the emulator suite tests those against the real parts.
MODULES: Mapping[str, tuple[str, ...]] = {
    "avmeets/cdr.py": ("test_cdr.py", "test_connection_path.py"),
    "avmeets/cdr_export.py": ("test_cdr_export.py",),
    "avmeets/client_ip.py": ("test_client_ip.py",),
    "avmeets/connection_path.py": ("test_connection_path.py",),
    "avmeets/display_names.py": ("test_display_names.py",),
    "avmeets/meeting_ids.py": ("test_meetings.py",),
    "avmeets/passwords.py": ("test_passwords.py",),
    "avmeets/payloads.py": (
        "test_payloads.py",
        "test_payloads_properties.py",
        "test_payloads_reports.py",
        "test_connection_path.py",
        "test_my_data.py",
        "test_payload_messages.py",
        "test_payloads_nested_objects.py",
    ),
    "avmeets/purge/plan.py": ("test_purge_plan.py", "test_purge_logic.py"),
    "avmeets/quota.py": ("test_quota.py", "test_quota_expiry.py"),
    "avmeets/signals.py": ("test_signals.py",),
    "avmeets/throttle.py": ("test_throttle.py",),
    "avmeets/turn.py": ("test_turn.py",),
    "avmeets/usage.py": ("test_usage.py",),
}
#: What the docs promise (issue 18): at least this share of each module's mutants killed.
THRESHOLD = 0.80
#: Top-level entries of the working tree the unit tests read (never node_modules or venvs).
COPIED = (
    ".ci", ".firebaserc", "README.md", "bench", "docs", "firebase.json",
    "firestore.indexes.json", "firestore.rules", "functions", "noxfile.py", "package.json",
    "package-lock.json", "pyproject.toml", "tests", "tools", "web",
)  # fmt: skip
_IGNORED = shutil.ignore_patterns(
    "node_modules", "venv", ".venv", "__pycache__", "dist", ".mypy_cache", "screenshots"
)
_RESULT = re.compile(r"^\s*(?P<name>avmeets\.[\w.]+?)\.x.*?__mutmut_\d+: (?P<status>.+?)\s*$")
KILLED = "killed"
#: mutmut's outcomes that count as caught: a mutant that makes the tests hang is noticed too
#: (Stryker counts its Timeout the same way).
_CAUGHT = frozenset({KILLED, "timeout"})


@dataclass(frozen=True)
class Score:
    module: str
    killed: int
    total: int
    statuses: Mapping[str, int]

    @property
    def ratio(self) -> float:
        return self.killed / self.total if self.total else 1.0


def module_of(file: str) -> str:
    """`avmeets/purge/plan.py` → `avmeets.purge.plan`."""
    return file.removesuffix(".py").replace("/", ".")


def _toml_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def mutmut_config(modules: Mapping[str, tuple[str, ...]], package: Iterable[str]) -> str:
    """The [tool.mutmut] table of the scratch copy. The whole package is copied (its modules
    import each other) but only ``modules`` are mutated, judged by their tests only; ``package``
    is every module file of it, as `avmeets/...` paths."""
    tests = sorted({f"tests/unit/{test}" for files in modules.values() for test in files})
    untouched = sorted(f"src/{file}" for file in package if file not in modules)
    copied = [f"{entry}/" if (ROOT / entry).is_dir() else entry for entry in COPIED]
    return (
        "\n[tool.mutmut]\n"
        'paths_to_mutate = ["src/avmeets/"]\n'
        f"do_not_mutate = {_toml_list(untouched)}\n"
        f"tests_dir = {_toml_list(tests)}\n"
        f"also_copy = {_toml_list(copied)}\n"
    )


def package_files(root: Path = ROOT / "functions") -> list[str]:
    """Every module of the avmeets package, as `avmeets/...` paths."""
    return sorted(p.relative_to(root).as_posix() for p in (root / "avmeets").rglob("*.py"))


def scores(results: Iterable[str], modules: Iterable[str]) -> list[Score]:
    """Per module, from `mutmut results --all true`: killed mutants over all of its mutants."""
    wanted = {module_of(file) for file in modules}
    counts: dict[str, Counter[str]] = {name: Counter() for name in wanted}
    for line in results:
        match = _RESULT.match(line)
        if match is None:
            continue
        name = match["name"]
        # A method's mutant is named avmeets.mod.xǁClassǁmethod: the module is before ".x".
        if name in counts:
            counts[name][match["status"]] += 1
    return [
        Score(
            name,
            sum(n for status, n in counts[name].items() if status in _CAUGHT),
            sum(counts[name].values()),
            dict(counts[name]),
        )
        for name in sorted(counts)
    ]


#: Stryker's outcomes that count as caught, and those that are not mutants at all (its own
#: mutation score leaves those out: the mutated code did not compile or the mutant was ignored).
_DETECTED = frozenset({"Killed", "Timeout"})
_INVALID = frozenset({"CompileError", "RuntimeError", "Ignored"})


def stryker_scores(report: Mapping[str, object]) -> list[Score]:
    """Per file of a Stryker JSON report (mutation-testing-report-schema): detected mutants over
    valid ones; a mutant no test covers (NoCoverage) counts against the file."""
    files = report.get("files")
    if not isinstance(files, dict):
        raise ValueError("not a Stryker report: no files")
    out: list[Score] = []
    for path, entry in sorted(files.items()):
        statuses = Counter(str(m.get("status")) for m in entry.get("mutants", []))
        valid = {k: n for k, n in statuses.items() if k not in _INVALID}
        detected = sum(n for k, n in valid.items() if k in _DETECTED)
        out.append(Score(str(path), detected, sum(valid.values()), dict(statuses)))
    return out


def table(found: Iterable[Score]) -> str:
    rows = ["| module | mutants | killed | score | other outcomes |", "|---|---|---|---|---|"]
    for score in found:
        other = ", ".join(
            f"{k} {n}" for k, n in sorted(score.statuses.items()) if k not in (KILLED, "Killed")
        )
        rows.append(
            f"| `{score.module}` | {score.total} | {score.killed} | {score.ratio:.0%} | "
            f"{other or '—'} |"
        )
    return "\n".join(rows)


def _scratch(into: Path) -> None:
    for entry in COPIED:
        source = ROOT / entry
        if source.is_dir():
            shutil.copytree(source, into / entry, ignore=_IGNORED, symlinks=True)
        elif source.exists():
            shutil.copy2(source, into / entry)
    shutil.copytree(ROOT / "functions" / "avmeets", into / "src" / "avmeets", ignore=_IGNORED)
    pyproject = into / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pointed = text.replace('pythonpath = ["functions", "."]', 'pythonpath = ["src", "."]')
    if pointed == text:
        raise SystemExit("pyproject.toml's pytest pythonpath changed: update tools/mutation.py")
    pyproject.write_text(pointed + mutmut_config(MODULES, package_files()), encoding="utf-8")


def _python(children: int, keep: bool) -> list[Score]:
    scratch = Path(tempfile.mkdtemp(prefix="avmeets-mutation-"))
    try:
        _scratch(scratch)
        mutmut = [sys.executable, "-m", "mutmut"]
        run = subprocess.run([*mutmut, "run", "--max-children", str(children)], cwd=scratch)
        if run.returncode != 0:
            raise SystemExit(f"mutmut run exited with {run.returncode}")
        results = subprocess.run(
            [*mutmut, "results", "--all", "true"],
            cwd=scratch,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()
    finally:
        if keep:
            print(f"scratch copy kept at {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return scores(results, MODULES)


def overall(found: Iterable[Score]) -> Score:
    """All modules of one side together: the score the threshold applies to (issue 18)."""
    items = list(found)
    statuses: Counter[str] = Counter()
    for score in items:
        statuses.update(score.statuses)
    return Score("all", sum(s.killed for s in items), sum(s.total for s in items), dict(statuses))


def below(found: Iterable[Score]) -> list[str]:
    """The modules under the threshold: the next mutants to kill (reported, not fatal)."""
    return [
        f"{s.module}: {s.ratio:.1%} of mutants killed, below {THRESHOLD:.0%}"
        for s in found
        if s.ratio < THRESHOLD
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy")
    parser.add_argument(
        "--web-report", type=Path, help="score a finished Stryker JSON report instead of mutmut"
    )
    args = parser.parse_args(argv)
    if args.web_report is not None:
        found = stryker_scores(json.loads(args.web_report.read_text(encoding="utf-8")))
        title = "web client (Stryker, vitest)"
    else:
        found = _python(args.children, args.keep)
        title = "server (mutmut, pytest)"
    total = overall(found)
    print(f"\n### Mutation score: {title}\n\n{table([*found, total])}\n")
    print("\n".join(below(found)) or f"every module at or above {THRESHOLD:.0%}")
    if total.ratio < THRESHOLD:
        print(f"{title}: {total.ratio:.1%} of all mutants killed, below {THRESHOLD:.0%}")
        return 1
    print(f"{title}: {total.ratio:.1%} of all mutants killed (threshold {THRESHOLD:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
