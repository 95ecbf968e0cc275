"""The sabotage proof's pure parts (tools/sabotage.py) and its completeness: every claim of
docs/security.md has a recorded sabotage whose edits still apply to today's product."""

from __future__ import annotations

import subprocess
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
    return Sabotage(slug, claim, "why", "unit", tests, (edit,))


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
    empty = [*good, Sabotage("bare", "Doors lock", "why", "unit", (), ())]
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


def _run(returncode: int, *outcomes: tuple[str, str]) -> Run:
    return Run(
        returncode,
        1.0,
        [TestOutcome(f"tests.unit.test_x::{name}", outcome) for name, outcome in outcomes],  # type: ignore[arg-type]
        "log",
    )


def test_a_sabotage_is_caught_only_by_a_cited_test_green_without_it() -> None:
    cited = ["tests/unit/test_x.py::test_a"]
    green = _run(0, ("test_a", "passed"))
    failed = _run(1, ("test_a", "failed"))
    assert sabotage.verdict(green, failed, cited) == "caught"
    assert sabotage.verdict(green, _run(1, ("test_a", "error")), cited) == "caught"
    assert sabotage.verdict(green, green, cited) == "survived"
    # A run that failed without a cited test failing (a build error, emulators not starting).
    assert sabotage.verdict(green, _run(1), cited) == "broken"
    assert sabotage.verdict(green, _run(1, ("test_b", "failed")), cited) == "broken"
    assert sabotage.verdict(green, _run(0, ("test_a", "skipped")), cited) == "broken"
    # The cited test must have passed unpatched: red, skipped or absent there proves nothing.
    for baseline in (failed, _run(0, ("test_a", "skipped")), _run(0), None):
        assert sabotage.verdict(baseline, failed, cited) == "baseline-red"
    assert sabotage.verdict(None, failed, cited, baseline_checked=False) == "caught"
    assert sabotage.verdict(green, None, cited) == "not-run"
    # A grouped baseline may fail elsewhere: only the cited tests count.
    grouped = _run(1, ("test_a", "passed"), ("test_b", "failed"))
    assert sabotage.green(grouped, cited)
    assert not sabotage.green(_run(1, ("test_a", "passed")), cited)
    assert sabotage.caught_by(failed, cited) == failed.outcomes


def test_the_report_has_a_line_per_sabotage_and_the_totals() -> None:
    results = [
        Result("a-slug", "Doors lock", "why", "unit", ["t"], "caught", "1/1 passed", ["m::test_a"]),
        Result("b-slug", "Doors lock", "why", "emulator", ["t"], "survived", "1/1 passed"),
        Result(
            "c-slug", "Windows shut", "why", "web", ["t"], "caught", "2/2 passed", ["f::x", "f::y"]
        ),
    ]
    text = sabotage.render(results, 150.0)
    lines = text.splitlines()
    assert lines[0].split(" | ")[0].strip() == "sabotage"
    assert "a-slug" in lines[2] and "caught" in lines[2] and "test_a" in lines[2]
    assert "b-slug" in lines[3] and "SURVIVED" in lines[3]
    assert "x (+1)" in lines[4]
    assert lines[-1] == "2 of 3 sabotages caught; 1 of 2 claims with every sabotage caught; 2.5 min"
