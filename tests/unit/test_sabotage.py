"""The sabotage proof's pure parts (tools/sabotage.py) and its completeness: every claim of
docs/security.md has a recorded sabotage whose edits still apply to today's product."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.sabotage.sabotages import SABOTAGES
from tools import sabotage
from tools.sabotage import Edit, Result, Run, Sabotage, SabotageError, TestOutcome

ROOT = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------ the table and the sabotages


def test_every_claim_has_a_sabotage_citing_its_tests() -> None:
    claims = sabotage.security_claims((ROOT / "docs" / "security.md").read_text(encoding="utf-8"))
    assert len(claims) >= 20, sorted(claims)
    assert sabotage.check_table(claims, SABOTAGES) == []


@pytest.mark.parametrize("recorded", SABOTAGES, ids=[s.slug for s in SABOTAGES])
def test_every_sabotage_still_applies_to_the_product(recorded: Sabotage) -> None:
    changed = sabotage.sabotaged_files(ROOT, recorded.edits)
    assert changed
    for path, text in changed.items():
        assert path.startswith(sabotage.PRODUCT_PATHS)
        assert text != (ROOT / path).read_text(encoding="utf-8")
    for test in recorded.tests:
        assert (ROOT / sabotage.test_file(test)).is_file(), test


TABLE = """# Security

| Claim | Control | Proved by |
|---|---|---|
| Doors lock | a lock | `tests/emulator/test_doors.py` (every door); `tests/unit/test_lock.py` |
| Windows shut | a latch | `web/src/latch.test.ts` |

## Next
| Claim | Control | Proved by |
"""


def _sabotage(slug: str, claim: str, *tests: str) -> Sabotage:
    edit = Edit("functions/avmeets/x.py", "a", "b")
    return Sabotage(slug, claim, "why", "unit", tests, (edit,), "boom")


def test_the_claims_table_is_read_row_by_row() -> None:
    assert sabotage.security_claims(TABLE) == {
        "Doors lock": "`tests/emulator/test_doors.py` (every door); `tests/unit/test_lock.py`",
        "Windows shut": "`web/src/latch.test.ts`",
    }
    with pytest.raises(SabotageError, match="no table"):
        sabotage.security_claims("| Claim | Control |\n|---|---|\n| a | b |\n")
    twice = TABLE.replace("| Windows shut |", "| Doors lock |")
    with pytest.raises(SabotageError, match="twice"):
        sabotage.security_claims(twice)


def test_the_table_and_the_sabotages_must_agree() -> None:
    claims = sabotage.security_claims(TABLE)
    good = [
        _sabotage("doors", "Doors lock", "tests/emulator/test_doors.py::test_a[x]"),
        _sabotage("windows", "Windows shut", "web/src/latch.test.ts"),
    ]
    assert sabotage.check_table(claims, good) == []
    assert sabotage.check_table(claims, good[:1]) == ["claim without a sabotage: 'Windows shut'"]
    uncited = [*good, _sabotage("more", "Doors lock", "tests/unit/test_other.py")]
    assert sabotage.check_table(claims, uncited) == [
        "more: tests/unit/test_other.py is not cited for 'Doors lock'"
    ]
    unknown = [*good, _sabotage("doors", "Roofs hold", "tests/unit/test_lock.py")]
    assert sabotage.check_table(claims, unknown) == [
        "slug 'doors' is used twice",
        "doors: its claim is not in the table: 'Roofs hold'",
    ]
    empty = [*good, Sabotage("bare", "Doors lock", "why", "unit", (), (), "boom")]
    assert sabotage.check_table(claims, empty) == ["bare: a sabotage needs tests and edits"]


# ------------------------------------------------------------------ applying the edits


def test_an_edit_applies_exactly_once() -> None:
    text = "alpha\nbeta\ngamma\n"
    assert sabotage.apply_to_text(text, [Edit("f", "beta\n", "")]) == "alpha\ngamma\n"
    # In turn: the second edit sees the first one's result.
    edits = [Edit("f", "beta", "delta"), Edit("f", "delta\ngamma", "x")]
    assert sabotage.apply_to_text(text, edits) == "alpha\nx\n"
    with pytest.raises(SabotageError, match="not found"):
        sabotage.apply_to_text(text, [Edit("f", "epsilon", "x")], "f")
    with pytest.raises(SabotageError, match="found 2 times"):
        sabotage.apply_to_text("a a", [Edit("f", "a", "b")], "f")
    with pytest.raises(SabotageError, match="changes nothing"):
        sabotage.apply_to_text(text, [Edit("f", "beta", "beta")], "f")
    with pytest.raises(SabotageError, match="not found"):
        sabotage.apply_to_text(text, [Edit("f", "", "x")], "f")


def test_edits_change_the_product_only_and_all_or_nothing(tmp_path: Path) -> None:
    product = tmp_path / "functions" / "avmeets"
    product.mkdir(parents=True)
    (product / "a.py").write_text("limit = 5\n", encoding="utf-8")
    (product / "b.py").write_text("other = 1\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("assert limit == 5\n", encoding="utf-8")

    with pytest.raises(SabotageError, match="the product only"):
        sabotage.apply_edits(tmp_path, [Edit("tests/test_a.py", "5", "6")])
    # The second edit does not apply: nothing is written, not even the first file.
    bad = [Edit("functions/avmeets/a.py", "5", "500"), Edit("functions/avmeets/b.py", "2", "3")]
    with pytest.raises(SabotageError, match=r"b\.py: the sabotaged text is not found"):
        sabotage.apply_edits(tmp_path, bad)
    assert (product / "a.py").read_text(encoding="utf-8") == "limit = 5\n"

    changed = sabotage.apply_edits(tmp_path, [Edit("functions/avmeets/a.py", "5", "500")])
    assert changed == ["functions/avmeets/a.py"]
    assert (product / "a.py").read_text(encoding="utf-8") == "limit = 500\n"
    with pytest.raises(SabotageError, match="cannot read"):
        sabotage.apply_edits(tmp_path, [Edit("functions/avmeets/gone.py", "a", "b")])


def test_the_copy_holds_the_tree_but_links_the_installs(tmp_path: Path) -> None:
    source, dest = tmp_path / "src", tmp_path / "dest"
    (source / "web" / "node_modules" / "pkg").mkdir(parents=True)
    (source / "web" / "node_modules" / "pkg" / "index.js").write_text("x", encoding="utf-8")
    (source / "web" / "main.ts").write_text("main", encoding="utf-8")
    (source / "tracked.py").write_text("tracked", encoding="utf-8")
    (source / "ignored.log").write_text("log", encoding="utf-8")
    (source / ".gitignore").write_text("node_modules/\n*.log\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=source, check=True)
    subprocess.run(["git", "add", "tracked.py", ".gitignore"], cwd=source, check=True)
    (source / "untracked.py").write_text("new", encoding="utf-8")

    sabotage.copy_tree(source, dest)

    assert (dest / "tracked.py").read_text(encoding="utf-8") == "tracked"
    assert (dest / "untracked.py").read_text(encoding="utf-8") == "new"
    assert (dest / "web" / "main.ts").read_text(encoding="utf-8") == "main"
    assert not (dest / "ignored.log").exists()
    assert (dest / "web" / "node_modules").is_symlink()
    assert (dest / "web" / "node_modules").resolve() == (source / "web" / "node_modules")
    assert not (dest / ".cache").exists()  # nothing to link where the source has none
    assert not (dest / ".git").exists()


# ------------------------------------------------------------------ outcomes and verdicts

PYTEST_XML = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="tests.emulator.test_hosts" name="test_refused[remove]" time="1"/>
<testcase classname="tests.emulator.test_hosts" name="test_refused[lock]" time="1">
  <failure message="AssertionError: expected PERMISSION_DENIED&#10;more">trace</failure></testcase>
<testcase classname="tests.emulator.test_hosts" name="test_refused_twice" time="1">
  <error message="">fixture broke
second line</error></testcase>
<testcase classname="tests.emulator.test_hosts" name="test_other" time="1">
  <skipped message="no coturn"/></testcase>
</testsuite></testsuites>"""

VITEST_XML = """<?xml version="1.0" encoding="UTF-8" ?><testsuites name="vitest tests">
<testsuite name="src/core/meeting/ice.test.ts">
<testcase classname="src/core/meeting/ice.test.ts" name="ICE &gt; blanks raddr" time="0.1">
  <failure message="expected 'a' to be 'b'" type="AssertionError">stack</failure></testcase>
</testsuite></testsuites>"""


def test_junit_reports_of_pytest_and_vitest_are_read() -> None:
    assert sabotage.parse_junit(PYTEST_XML) == [
        TestOutcome("tests.emulator.test_hosts::test_refused[remove]", "passed"),
        TestOutcome(
            "tests.emulator.test_hosts::test_refused[lock]",
            "failed",
            "AssertionError: expected PERMISSION_DENIED",
        ),
        TestOutcome("tests.emulator.test_hosts::test_refused_twice", "error", "fixture broke"),
        TestOutcome("tests.emulator.test_hosts::test_other", "skipped", "no coturn"),
    ]
    assert sabotage.parse_junit(VITEST_XML) == [
        TestOutcome(
            "src/core/meeting/ice.test.ts::ICE > blanks raddr", "failed", "expected 'a' to be 'b'"
        )
    ]


def test_cited_tests_are_matched_by_file_name_and_parameters() -> None:
    outcomes = sabotage.parse_junit(PYTEST_XML)
    names = lambda test: [o.test.split("::")[1] for o in sabotage.select(outcomes, [test])]  # noqa: E731
    file = "tests/emulator/test_hosts.py"
    assert names(file) == [
        "test_refused[remove]",
        "test_refused[lock]",
        "test_refused_twice",
        "test_other",
    ]
    assert names(f"{file}::test_refused") == ["test_refused[remove]", "test_refused[lock]"]
    assert names(f"{file}::test_refused[lock]") == ["test_refused[lock]"]
    assert names("tests/unit/test_hosts.py") == []
    vitest = sabotage.parse_junit(VITEST_XML)
    assert sabotage.select(vitest, ["web/src/core/meeting/ice.test.ts"]) == vitest
    assert sabotage.select(vitest, ["web/src/core/meeting/sdp.test.ts"]) == []


def _run(returncode: int, *outcomes: tuple[str, str, str]) -> Run:
    cases = [
        TestOutcome(f"tests.unit.test_x::{name}", outcome, message, message)  # type: ignore[arg-type]
        for name, outcome, message in outcomes
    ]
    return Run(returncode, 1.0, cases, "log")


def test_a_sabotage_is_caught_only_by_a_cited_test_green_without_it() -> None:
    cited, expect = ["tests/unit/test_x.py::test_a"], r"limit \d+ exceeded"
    green = _run(0, ("test_a", "passed", ""))
    failed = _run(1, ("test_a", "failed", "AssertionError: limit 6 exceeded"))
    assert sabotage.verdict(green, failed, cited, expect) == "caught"
    errored = _run(1, ("test_a", "error", "fixture: limit 7 exceeded"))
    assert sabotage.verdict(green, errored, cited, expect) == "caught"
    assert sabotage.verdict(green, green, cited, expect) == "survived"
    # A cited test failing for another reason (a flaky service) does not count.
    flaky = _run(1, ("test_a", "failed", "TimeoutError: join_meeting did not answer"))
    assert sabotage.verdict(green, flaky, cited, expect) == "failed-otherwise"
    # A run that failed without a cited test failing (a build error, emulators not starting).
    assert sabotage.verdict(green, _run(1), cited, expect) == "broken"
    other = _run(1, ("test_b", "failed", "limit 6 exceeded"))
    assert sabotage.verdict(green, other, cited, expect) == "broken"
    skipped = _run(0, ("test_a", "skipped", "no coturn"))
    assert sabotage.verdict(green, skipped, cited, expect) == "broken"
    # The cited test must have passed unpatched: red, skipped or absent there proves nothing.
    for baseline in (failed, skipped, _run(0), None):
        assert sabotage.verdict(baseline, failed, cited, expect) == "baseline-red"
    unchecked = sabotage.verdict(None, failed, cited, expect, baseline_checked=False)
    assert unchecked == "caught"
    assert sabotage.verdict(green, None, cited, expect) == "not-run"
    # A grouped baseline may fail elsewhere: only the cited tests count.
    grouped = _run(1, ("test_a", "passed", ""), ("test_b", "failed", "x"))
    assert sabotage.green(grouped, cited)
    assert not sabotage.green(_run(1, ("test_a", "passed", "")), cited)
    both = _run(1, ("test_a[1]", "failed", "limit 9 exceeded"), ("test_a[2]", "failed", "no"))
    assert sabotage.failures(both, cited) == both.outcomes
    assert sabotage.caught_by(both, cited, expect) == both.outcomes[:1]


def test_every_expectation_is_a_regular_expression() -> None:
    for recorded in SABOTAGES:
        assert recorded.expect.strip(), recorded.slug
        re.compile(recorded.expect)


def test_the_report_has_a_line_per_sabotage_and_the_totals() -> None:
    def result(slug: str, claim: str, verdict: str, failed: list[str], caught: bool) -> Result:
        return Result(
            slug,
            claim,
            "why",
            "unit",
            ["t"],
            verdict,  # type: ignore[arg-type]
            "1/1 passed",
            failed=failed,
            messages=["boom"] * len(failed),
            caught_by=failed if caught else [],
        )

    results = [
        result("a-slug", "Doors lock", "caught", ["m::test_a"], True),
        result("b-slug", "Doors lock", "survived", [], False),
        result("c-slug", "Windows shut", "caught", ["f::x", "f::y"], True),
        result("d-slug", "Windows shut", "failed-otherwise", ["f::z"], False),
    ]
    lines = sabotage.render(results, 150.0).splitlines()
    assert lines[0].split(" | ")[0].strip() == "sabotage"
    assert "a-slug" in lines[2] and "caught" in lines[2] and "test_a" in lines[2]
    assert "b-slug" in lines[3] and "SURVIVED" in lines[3]
    assert "x (+1)" in lines[4]
    assert "d-slug" in lines[5] and "FAILED-OTHERWISE" in lines[5] and "z otherwise" in lines[5]
    assert lines[-1] == "2 of 4 sabotages caught; 0 of 2 claims with every sabotage caught; 2.5 min"


def test_stored_runs_are_judged_again_from_their_files(tmp_path: Path) -> None:
    pass_xml = PYTEST_XML.split("<testcase")[0] + (
        '<testcase classname="tests.emulator.test_hosts" name="test_refused[lock]"/>'
        "</testsuite></testsuites>"
    )
    (tmp_path / "baseline-emulator.log").write_text("old", encoding="utf-8")
    (tmp_path / "baseline-emulator.xml").write_text(PYTEST_XML, encoding="utf-8")
    (tmp_path / "hosts.log").write_text("run", encoding="utf-8")
    (tmp_path / "hosts.xml").write_text(PYTEST_XML, encoding="utf-8")
    (tmp_path / "hosts.json").write_text('{"returncode": 1, "seconds": 42.0}', encoding="utf-8")

    run = sabotage.stored_run(tmp_path / "hosts.log")
    assert run is not None and (run.returncode, run.seconds) == (1, 42.0)
    assert len(run.outcomes) == 4
    assert sabotage.stored_run(tmp_path / "missing.log") is None
    # Without its .json, a run with a failure in its report counts as failed.
    old = sabotage.stored_run(tmp_path / "baseline-emulator.log")
    assert old is not None and old.returncode == 1

    cited = ["tests/emulator/test_hosts.py::test_refused[lock]"]
    baseline = sabotage.stored_baseline(tmp_path, "emulator")
    assert baseline is not None and not sabotage.green(baseline, cited)
    # A later unpatched run of that test decides for it.
    later = tmp_path / "baseline-emulator-hosts.log"
    later.write_text("new", encoding="utf-8")
    later.with_suffix(".xml").write_text(pass_xml, encoding="utf-8")
    os.utime(later, (time.time() + 10, time.time() + 10))
    baseline = sabotage.stored_baseline(tmp_path, "emulator")
    assert baseline is not None and sabotage.green(baseline, cited)
    assert sabotage.stored_baseline(tmp_path, "browser") is None
