"""Every callable's CORS preflight answer may be kept by the browser for two hours.

The web app's callable requests (an Authorization header, a JSON body) are preceded by an
OPTIONS preflight that reaches the function; without Access-Control-Max-Age a browser keeps
the answer five seconds, so nearly every call paid one (avmeets.preflight). Sent to the
functions emulator as Chromium sends it.
"""

from __future__ import annotations

import httpx
import pytest

from avmeets.preflight import PREFLIGHT_MAX_AGE_SECONDS
from avmeets.protocol import CALLABLES

from .support.config import HTTP_TIMEOUT, functions_url

APP_ORIGIN = "http://127.0.0.1:5000"


@pytest.mark.parametrize("name", sorted(CALLABLES))
async def test_a_callables_preflight_answer_may_be_kept(name: str) -> None:
    async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as client:
        response = await client.options(
            functions_url(name),
            headers={
                "Origin": APP_ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
    assert response.status_code in (200, 204), response.text
    assert response.headers.get("access-control-max-age") == str(PREFLIGHT_MAX_AGE_SECONDS)
    # What it allows is the SDK's own: the app's origin, POST, the callable's headers.
    assert response.headers.get("access-control-allow-origin") == APP_ORIGIN
    assert "POST" in response.headers.get("access-control-allow-methods", "")
    allowed = response.headers.get("access-control-allow-headers", "").lower()
    assert "authorization" in allowed and "content-type" in allowed
