"""A callable's CORS preflight answer may be kept by the browser (avmeets.preflight)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Request, Response, request
from flask_cors import cross_origin

from avmeets.preflight import PREFLIGHT_MAX_AGE_SECONDS, caches_preflight

APP = Flask(__name__)
PREFLIGHT_HEADERS = {
    "Origin": "http://127.0.0.1:5000",
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


def sdk_like(calls: list[str]) -> Callable[[Request], Response]:
    """What ``https_fn.on_call`` returns: a Flask view under flask-cors' ``cross_origin``."""

    @cross_origin(methods="POST", origins="*")
    def on_call_wrapped(req: Request) -> Response:
        calls.append(req.method)
        return Response('{"result": {}}', status=200, mimetype="application/json")

    on_call_wrapped.__firebase_endpoint__ = "endpoint"  # type: ignore[attr-defined]
    return on_call_wrapped


def answer(handler: object, method: str, headers: dict[str, str]) -> Response:
    with APP.test_request_context("/", method=method, headers=headers):
        assert callable(handler)
        result = handler(request)
        assert isinstance(result, Response)
        return result


def test_the_preflight_answer_carries_a_max_age() -> None:
    calls: list[str] = []
    response = answer(caches_preflight(sdk_like(calls)), "OPTIONS", PREFLIGHT_HEADERS)
    assert response.headers["Access-Control-Max-Age"] == str(PREFLIGHT_MAX_AGE_SECONDS)
    # What it allows is still the SDK's.
    assert response.headers["Access-Control-Allow-Origin"] == PREFLIGHT_HEADERS["Origin"]
    assert response.headers["Access-Control-Allow-Methods"] == "POST"
    assert calls == [], "the preflight is answered by the CORS layer, not the handler"


def test_without_the_wrapper_the_sdk_sends_none() -> None:
    # Why the wrapper exists: a browser keeps an answer without it for five seconds.
    response = answer(sdk_like([]), "OPTIONS", PREFLIGHT_HEADERS)
    assert "Access-Control-Max-Age" not in response.headers


def test_calls_and_answers_without_cors_are_unchanged() -> None:
    calls: list[str] = []
    handler = caches_preflight(sdk_like(calls))
    post = answer(handler, "POST", {"Origin": "http://127.0.0.1:5000"})
    assert post.status_code == 200 and "Access-Control-Max-Age" not in post.headers
    assert calls == ["POST"]

    def plain(req: Request) -> Response:
        return Response("no cors", status=204)

    bare = answer(caches_preflight(plain), "OPTIONS", PREFLIGHT_HEADERS)
    assert "Access-Control-Max-Age" not in bare.headers


def test_the_endpoint_attributes_survive() -> None:
    handler = caches_preflight(sdk_like([]))
    assert getattr(handler, "__firebase_endpoint__", None) == "endpoint"
