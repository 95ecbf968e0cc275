"""web/src/protocol.gen.ts is what ``python -m tools.gen_protocol`` writes now."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NotRequired

import pytest

from avmeets import protocol
from tools import gen_protocol


def test_generated_typescript_is_up_to_date() -> None:
    committed = gen_protocol.OUTPUT.read_text(encoding="utf-8")
    assert committed == gen_protocol.render(), "run: python -m tools.gen_protocol"
    assert gen_protocol.main(["--check"]) == 0


def test_contract_names_are_exported() -> None:
    text = gen_protocol.render()
    for name in (
        "interface IceServer",
        "interface CreateMeetingRequest",
        "interface JoinMeetingResult",
        "interface ParticipantSummary",
        "interface ReportConnectionRequest",
        "type ConnectionStatus",
        "type Role",
        "interface ConnectionStats",
        "interface ArchiveRequest",
        "interface Callables",
        "type CallableName",
        "const ERROR_REASONS",
        "type ErrorReason",
        "type ParticipantState",
        "interface ParticipantDoc",
        "type SignalType",
        "interface SignalCandidate",
        "interface SignalDoc",
        "const LIMITS",
    ):
        assert f"export {name}" in text, name
    for reason in protocol.ErrorReason:
        assert f'"{reason.value}",' in text


@pytest.mark.parametrize(
    ("tp", "ts"),
    [
        (str | None, "string | null"),
        (list[protocol.IceServer], "IceServer[]"),
        (list[str | None], "(string | null)[]"),
        (NotRequired[int], "number"),
        (Literal[True], "true"),
        (protocol.Role, "Role"),
        (datetime, "Timestamp"),
    ],
)
def test_type_mapping(tp: object, ts: str) -> None:
    assert gen_protocol.ts_type(tp, gen_protocol._aliases()) == ts


def test_unknown_types_are_refused() -> None:
    with pytest.raises(TypeError):
        gen_protocol.ts_type(bytes, {})
