"""No code in functions/ reaches into private attributes of another object (an SDK's least of all).

The Firestore and Firebase SDKs keep their internals (``client._firestore_api``,
``query._to_protobuf()``, ``firebase_admin._apps``) free to change in any release; the deployed
code uses their public APIs only. Read as syntax trees: any ``x._name`` (or
``getattr(x, "_name")``) where ``x`` is not ``self`` or ``cls`` fails. ruff's SLF001 says the same
in the editor; this test makes it part of the unit run.
"""

from __future__ import annotations

import ast
from pathlib import Path

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


def private_accesses(tree: ast.AST, where: str) -> list[str]:
    found = []
    for node in ast.walk(tree):
        name: str | None = None
        owner: ast.expr | None = None
        if isinstance(node, ast.Attribute):
            name, owner = node.attr, node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            name, owner = node.args[1].value, node.args[0]
        if name is None or not name.startswith("_") or name.startswith("__"):
            continue
        if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
            continue
        found.append(f"{where}:{getattr(node, 'lineno', 0)}: {ast.unparse(node)}")
    return found


def test_functions_use_no_private_attributes() -> None:
    problems = []
    for path in sorted(FUNCTIONS.rglob("*.py")):
        if "venv" in path.parts:
            continue
        problems += private_accesses(ast.parse(path.read_text()), str(path.relative_to(FUNCTIONS)))
    assert problems == []


def test_the_check_finds_what_the_old_purge_did() -> None:
    old = ast.parse(
        "api = client._firestore_api\n"
        "request = {'structured_query': q._to_protobuf()}\n"
        "metadata = getattr(client, '_rpc_metadata')\n"
        "if not firebase_admin._apps: pass\n"
        "self._cache = {}\n"
        "x.__class__\n"
    )
    assert len(private_accesses(old, "old.py")) == 4
