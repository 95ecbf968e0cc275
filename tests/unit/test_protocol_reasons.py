"""Every error reason the server raises comes from the one protocol source, with its code.

The functions' source is read as syntax trees: each ``reason=`` passed to one of the domain's
errors must be a member of ``protocol.ErrorReason`` (never a free string), the error's class must
carry the code ``protocol.ERROR_CODES`` gives that reason, and every reason must be raised
somewhere (the clients are told about no reason the server never sends).
"""

from __future__ import annotations

import ast
from pathlib import Path

from avmeets import errors, protocol

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
ERROR_CLASSES = {
    name: cls.code
    for name, cls in vars(errors).items()
    if isinstance(cls, type) and issubclass(cls, errors.AvmeetsError)
}


def sources() -> list[Path]:
    return sorted(p for p in FUNCTIONS.rglob("*.py") if "venv" not in p.parts)


def raised_reasons(tree: ast.AST, where: str) -> tuple[set[str], list[str]]:
    """The ErrorReason members passed as ``reason=`` in ``tree``, and the problems found."""
    found: set[str] = set()
    problems: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        reason = next((k.value for k in node.keywords if k.arg == "reason"), None)
        if reason is None:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else None
        at = f"{where}:{node.lineno}"
        if name not in ERROR_CLASSES:
            problems.append(f"{at}: reason= passed to {ast.unparse(node.func)}, not an error")
            continue
        if not (
            isinstance(reason, ast.Attribute)
            and isinstance(reason.value, ast.Name)
            and reason.value.id == "ErrorReason"
        ):
            problems.append(f"{at}: reason={ast.unparse(reason)} is not an ErrorReason member")
            continue
        member = protocol.ErrorReason[reason.attr]
        if protocol.ERROR_CODES[member] != ERROR_CLASSES[name]:
            problems.append(
                f"{at}: {member.value} raised as {name} ({ERROR_CLASSES[name]}), "
                f"protocol says {protocol.ERROR_CODES[member]}"
            )
        found.add(member.value)
    return found, problems


def test_every_reason_is_an_enum_member_with_its_code_and_is_raised() -> None:
    raised: set[str] = set()
    problems: list[str] = []
    for path in sources():
        found, wrong = raised_reasons(ast.parse(path.read_text()), str(path.relative_to(FUNCTIONS)))
        raised |= found
        problems += wrong
    assert problems == []
    assert raised == {r.value for r in protocol.ErrorReason}
    assert set(protocol.ERROR_CODES) == set(protocol.ErrorReason)


def test_the_check_catches_free_strings_and_wrong_codes() -> None:
    bad = ast.parse(
        "raise PermissionDenied('x', reason='wrong-password')\n"
        "raise Unavailable('x', reason=ErrorReason.MEETING_FULL)\n"
        "raise FailedPrecondition('x', reason=ErrorReason.NOT_JOINED)\n"
    )
    found, problems = raised_reasons(bad, "bad.py")
    assert found == {"meeting-full", "not-joined"}
    assert len(problems) == 2
    assert "not an ErrorReason member" in problems[0]
    assert "meeting-full raised as Unavailable" in problems[1]


def test_error_details_carry_the_reason_value() -> None:
    err = errors.ResourceExhausted("full", reason=protocol.ErrorReason.MEETING_FULL, retry=1)
    assert err.details == {"reason": "meeting-full", "retry": 1}
    assert type(err.details["reason"]) is str
