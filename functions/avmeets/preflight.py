"""Browsers keep a callable's CORS preflight answer for two hours instead of five seconds.

Every callable request the web app makes carries an ``Authorization`` header and a JSON body,
so the browser first asks with an ``OPTIONS`` preflight, which reaches the function: a round
trip before the call and a request billed like any other. The SDK's ``on_call`` answers the
preflight without ``Access-Control-Max-Age``, and a browser then keeps that answer for five
seconds (the Fetch standard's default): ``archive`` (every ~10 s), a connection's later
``report_connection`` and most other calls paid a preflight each. With a max age, one
preflight per callable per browser every two hours (Chromium's ceiling; Firefox keeps it up to
a day). What the preflight allows is unchanged: origins and methods stay the SDK's, and the
browser still checks ``Access-Control-Allow-Origin`` on every answer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

from flask import Request, Response

#: Seconds a browser may keep a preflight answer (Chromium keeps at most 7,200).
PREFLIGHT_MAX_AGE_SECONDS: Final = 7200

F = TypeVar("F", bound=Callable[..., Any])


def caches_preflight(handler: F) -> F:
    """Wrap a callable so that its CORS preflight answer carries ``Access-Control-Max-Age``.

    Only an answer the SDK's CORS handling made (it has ``Access-Control-Allow-Origin``) gets
    it; ``functools.wraps`` keeps the SDK's endpoint attributes for the Firebase CLI.
    """

    @functools.wraps(handler)
    def wrapped(request: Request) -> Any:
        response = handler(request)
        if (
            request.method == "OPTIONS"
            and isinstance(response, Response)
            and "Access-Control-Allow-Origin" in response.headers
        ):
            response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE_SECONDS)
        return response

    return cast(F, wrapped)
