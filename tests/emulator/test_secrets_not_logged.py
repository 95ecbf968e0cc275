"""No meeting password, and no part of its hash, is ever returned by a callable or logged.

The functions' output is what Cloud Logging would keep. Under ``nox -s emulator_tests`` the
emulators' whole output (the functions' stderr included) is also written to the file named by
AVMEETS_EMULATOR_LOG (tools/emulators.py ``run_in_group(tee=...)``), which this test reads. The
functions' own "joined" line for the meeting is the control: it must appear, or the test could
not see the logs at all.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

import pytest
from google.cloud import firestore

from .support.callables import CallableError
from .support.ci import require
from .support.deadline import wait_for
from .support.factories import Actors

LOG_VARIABLE = "AVMEETS_EMULATOR_LOG"


def _log_file() -> Path:
    path = os.environ.get(LOG_VARIABLE)
    require(None if path else f"{LOG_VARIABLE} is not set (run through `nox -s emulator_tests`)")
    return Path(str(path))


async def test_passwords_and_hashes_are_never_returned_or_logged(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    log_file = _log_file()
    password = f"pw-{secrets.token_hex(12)}"
    wrong = f"wrong-{secrets.token_hex(12)}"
    alice, bob = await actors("alice"), await actors("bob")
    answers: list[Any] = []

    created = await alice.call("create_meeting", {"title": "Secret", "password": password})
    answers.append(created)
    meeting_id = str(created["meetingId"])
    for guess in (wrong, "", password.upper()):
        with pytest.raises(CallableError) as refused:
            await bob.join(meeting_id, guess)
        answers.append([refused.value.status, refused.value.message, refused.value.details])
    answers.append(await bob.join(meeting_id, password))
    answers.append(await alice.join(meeting_id, password))

    stored = (await admin.collection("meeting_secrets").document(meeting_id).get()).to_dict()
    assert stored is not None
    scheme, *_parameters, salt, digest = str(stored["passwordHash"]).split("$")
    assert scheme == "scrypt"
    secrets_of_the_meeting = {
        "password": password,
        "wrong guess": wrong,
        "hash": stored["passwordHash"],
        "salt": salt,
        "digest": digest,
    }

    # Every answer the callables gave, as the client received it.
    returned = json.dumps(answers, default=str)
    for what, value in secrets_of_the_meeting.items():
        assert value not in returned, f"the {what} was returned to a client"

    # The control: the functions' log line for Bob's join has reached the file.
    def joined_logged() -> str | None:
        text = log_file.read_text(encoding="utf-8", errors="replace")
        return text if f"joined: {meeting_id} uid={bob.uid}" in text else None

    text = await wait_for(joined_logged, timeout=30, what="the functions' join log line")
    assert text is not None
    for what, value in secrets_of_the_meeting.items():
        assert value not in text, f"the {what} was logged"
