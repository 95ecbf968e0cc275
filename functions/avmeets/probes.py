"""The functions emulator's worker health probe, answered before the SDK's handlers see it.

Each time the functions emulator starts a Python worker it sends ``GET /__/health`` and waits
for any answer (firebase-tools, lib/emulator/functionsRuntimeWorker.js). functions-framework
routes every path to the function, so the probe reached the SDK's wrappers: a callable or the
blocking function logged ``ERROR root: Invalid request, unable to process.`` for it, and a
scheduled function *ran its job* (``on_schedule``'s wrapper takes any request), so a sweep ran
twice whenever a new worker started for it. Production never sends this probe; outside the
emulator the guard passes every request through unchanged.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

from flask import Request, Response

HEALTH_PATH: Final = "/__/health"

#: The SDK's decorated function: at run time it takes the Flask request (its type hints say
#: otherwise for some decorators, so the wrapper keeps whatever type it was given).
F = TypeVar("F", bound=Callable[..., Any])


def _in_emulator() -> bool:
    return os.environ.get("FUNCTIONS_EMULATOR") == "true"


def answers_health_probe(handler: F) -> F:
    """Wrap an HTTP-signature function so the emulator's health probe gets a plain 200.

    ``functools.wraps`` keeps the SDK's endpoint attributes (``__firebase_endpoint__``), so the
    Firebase CLI discovers the wrapped function exactly as before.
    """

    @functools.wraps(handler)
    def guarded(request: Request) -> Any:
        if request.method == "GET" and request.path == HEALTH_PATH and _in_emulator():
            return Response("ok", status=200, mimetype="text/plain")
        return handler(request)

    return cast(F, guarded)
