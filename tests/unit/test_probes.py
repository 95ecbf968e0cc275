"""The emulator's worker health probe never reaches the SDK's handlers (avmeets.probes)."""

from __future__ import annotations

import inspect
import logging

import pytest
from flask import Flask, Request, Response

from avmeets.probes import HEALTH_PATH, answers_health_probe

APP = Flask(__name__)


def guarded_handler() -> tuple[list[str], object]:
    calls: list[str] = []

    def handler(request: Request) -> Response:
        calls.append(f"{request.method} {request.path}")
        return Response("handled", status=400)

    handler.__firebase_endpoint__ = "endpoint"  # type: ignore[attr-defined]
    return calls, answers_health_probe(handler)


def answer(guarded: object, method: str, path: str) -> Response:
    with APP.test_request_context(path, method=method):
        from flask import request

        assert callable(guarded)
        result = guarded(request)
        assert isinstance(result, Response)
        return result


def test_probe_is_answered_in_the_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FUNCTIONS_EMULATOR", "true")
    calls, guarded = guarded_handler()
    response = answer(guarded, "GET", HEALTH_PATH)
    assert (response.status_code, response.get_data(as_text=True)) == (200, "ok")
    assert calls == [], "the probe must not reach the handler (a schedule would run its job)"


@pytest.mark.parametrize(("method", "path"), [("POST", HEALTH_PATH), ("GET", "/"), ("POST", "/")])
def test_everything_else_reaches_the_handler(
    monkeypatch: pytest.MonkeyPatch, method: str, path: str
) -> None:
    monkeypatch.setenv("FUNCTIONS_EMULATOR", "true")
    calls, guarded = guarded_handler()
    assert answer(guarded, method, path).status_code == 400
    assert calls == [f"{method} {path}"]


def test_outside_the_emulator_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FUNCTIONS_EMULATOR", raising=False)
    calls, guarded = guarded_handler()
    assert answer(guarded, "GET", HEALTH_PATH).status_code == 400
    assert calls == [f"GET {HEALTH_PATH}"]


def test_the_sdks_endpoint_attribute_is_kept() -> None:
    """The Firebase CLI discovers functions by this attribute (firebase_functions serving)."""
    _, guarded = guarded_handler()
    assert getattr(guarded, "__firebase_endpoint__", None) == "endpoint"


def test_every_http_function_of_main_answers_the_probe_itself(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The real wiring of functions/main.py, called as the emulator's worker calls it.

    Without the guard a callable or the blocking function answers the probe with an ERROR log
    line, and a schedule runs its job (the tripwires below).
    """
    monkeypatch.setenv("FUNCTIONS_EMULATOR", "true")
    import main
    from avmeets import db, jobs

    def tripwire(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the probe reached a job or Firestore")

    for module, name in ((jobs, "sweep"), (jobs, "purge"), (db, "client")):
        monkeypatch.setattr(module, name, tripwire)
    # Every function the Firebase CLI would discover (firebase_functions' serving: module
    # functions with an endpoint) but the Firestore trigger, to which functions-framework
    # answers a GET with 405 itself.
    http = sorted(
        name
        for name, function in inspect.getmembers(main, inspect.isfunction)
        if (endpoint := getattr(function, "__firebase_endpoint__", None)) is not None
        and endpoint.eventTrigger is None
    )
    assert {"auth_callback", "create_meeting", "heartbeat", "sweep", "purge"} <= set(http)
    for name in http:
        with caplog.at_level(logging.INFO):
            response = answer(getattr(main, name), "GET", HEALTH_PATH)
        assert (response.status_code, response.get_data(as_text=True)) == (200, "ok"), name
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
