"""Browser tests find buttons and labelled controls by their whole accessible name.

Playwright matches a string name as a case-insensitive substring. In a meeting every tile has a
safety-code button whose accessible name carries eight random BIP-39 words ("Safety code with Bob:
describe nuclear enemy month · …"), so a substring lookup such as "Clear" finds it whenever a word
happens to contain the name ("nuclear"): a clean-clone CI run failed exactly so. A name is either
exact (``exact=True``) or an explicit pattern (``re.compile``)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[2]
SOURCES = sorted([*(ROOT / "tests" / "browser").rglob("*.py"), *(ROOT / "bench").rglob("*.py")])


def _is_pattern(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "compile"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "re"
    )


def _exact(call: ast.Call) -> bool:
    return any(
        k.arg == "exact" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in call.keywords
    )


def _name_argument(call: ast.Call) -> ast.expr | None:
    """The name a call matches by substring unless told otherwise, or None if it matches none."""
    if not isinstance(call.func, ast.Attribute):
        return None
    if call.func.attr == "get_by_label" and call.args:
        return call.args[0]
    if call.func.attr == "get_by_role" and call.args:
        role = call.args[0]
        if isinstance(role, ast.Constant) and role.value == "button":
            return next((k.value for k in call.keywords if k.arg == "name"), None)
    return None


def loose_lookups(source: str, filename: str) -> list[str]:
    """Each button or label lookup in ``source`` that would match a name inside a longer one."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        name = _name_argument(node)
        if name is None or _is_pattern(name) or _exact(node):
            continue
        found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_check_finds_a_substring_lookup() -> None:
    source = (
        "page.get_by_role('button', name='Clear')\n"
        "page.get_by_role('button', name='Clear', exact=True)\n"
        "page.get_by_role('button', name=re.compile('^Play'))\n"
        "page.get_by_role('link', name='Home')\n"
        "row.get_by_role('button', name=action)\n"
        "form.get_by_label('Name')\n"
        "form.get_by_label('Name', exact=True)\n"
    )
    assert loose_lookups(source, "x.py") == [
        "x.py:1: page.get_by_role('button', name='Clear')",
        "x.py:5: row.get_by_role('button', name=action)",
        "x.py:6: form.get_by_label('Name')",
    ]


def test_every_button_and_label_lookup_is_exact_or_a_pattern() -> None:
    assert SOURCES, "no browser tests found"
    loose = [
        line
        for path in SOURCES
        for line in loose_lookups(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert not loose, "substring lookups (add exact=True or use re.compile):\n" + "\n".join(loose)
