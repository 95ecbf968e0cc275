"""tools/mutation.py's pure parts: the mutmut configuration, and reading both tools' results."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tools import mutation

ROOT = Path(__file__).resolve().parents[2]


def test_every_module_and_its_tests_exist() -> None:
    for module, tests in mutation.MODULES.items():
        assert (ROOT / "functions" / module).is_file(), module
        for test in tests:
            assert (ROOT / "tests" / "unit" / test).is_file(), test


def test_the_mutmut_table_names_the_copies_and_the_tests() -> None:
    package = mutation.package_files()
    assert "avmeets/cdr.py" in package and "avmeets/services/joins.py" in package
    table = tomllib.loads(mutation.mutmut_config(mutation.MODULES, package))["tool"]["mutmut"]
    assert table["paths_to_mutate"] == ["src/avmeets/"]
    assert "src/avmeets/services/joins.py" in table["do_not_mutate"]
    assert "src/avmeets/cdr.py" not in table["do_not_mutate"]
    assert "tests/unit/test_cdr.py" in table["tests_dir"]
    assert not any("node_modules" in entry for entry in table["also_copy"])
    assert "tests/" in table["also_copy"] and "docs/" in table["also_copy"]


RESULTS = """
    avmeets.cdr.x_end__mutmut_1: killed
    avmeets.cdr.x_end__mutmut_2: survived
    avmeets.cdr.xǁLegǁmethod__mutmut_1: killed
    avmeets.cdr.x_side_of__mutmut_3: no tests
    avmeets.cdr.x_loop__mutmut_1: timeout
    avmeets.purge.plan.x_make_plan__mutmut_1: killed
    avmeets.errors.x_code__mutmut_1: survived
    some warning line
"""


def test_scores_per_module_count_untested_mutants_against_it() -> None:
    found = {
        s.module: s
        for s in mutation.scores(RESULTS.splitlines(), ["avmeets/cdr.py", "avmeets/purge/plan.py"])
    }
    assert set(found) == {"avmeets.cdr", "avmeets.purge.plan"}  # errors is not in scope
    cdr = found["avmeets.cdr"]
    # A mutant that hangs the tests (timeout) was caught; one no test reaches was not.
    assert (cdr.killed, cdr.total) == (3, 5) and cdr.ratio == pytest.approx(0.6)
    assert found["avmeets.purge.plan"].ratio == 1.0
    assert mutation.below(found.values()) == ["avmeets.cdr: 60.0% of mutants killed, below 80%"]
    both = mutation.overall(found.values())
    assert (both.killed, both.total, both.statuses) == (
        4,
        6,
        {"killed": 3, "timeout": 1, "survived": 1, "no tests": 1},
    )


def test_stryker_scores_leave_out_what_is_not_a_mutant() -> None:
    report = {
        "files": {
            "src/a.ts": {
                "mutants": [
                    {"status": "Killed"},
                    {"status": "Timeout"},
                    {"status": "Survived"},
                    {"status": "NoCoverage"},
                    {"status": "CompileError"},
                    {"status": "Ignored"},
                ]
            }
        }
    }
    (score,) = mutation.stryker_scores(report)
    assert (score.module, score.killed, score.total) == ("src/a.ts", 2, 4)
    assert "| `src/a.ts` | 4 | 2 | 50% |" in mutation.table([score])
    with pytest.raises(ValueError):
        mutation.stryker_scores({"schemaVersion": "2"})
