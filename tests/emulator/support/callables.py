"""Calls of the Firebase callables on the functions emulator (the callable HTTP protocol)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from .auth import User
from .config import HTTP_TIMEOUT, functions_url
from .http_client import async_client
from .transport import post_retrying_hang_ups

#: The User-Agent the test clients send; the server records it in joins and CDR legs.
USER_AGENT = "avmeets-emulator-tests (aiortc)"


class CallableError(Exception):
    """A callable answered with an error: `status` is the code name, e.g. "PERMISSION_DENIED"."""

    def __init__(
        self, status: str, message: str, details: Any = None, http_status: int | None = None
    ) -> None:
        super().__init__(f"{status}: {message} (details={details!r}, http={http_status})")
        self.status = status
        self.message = message
        self.details = details
        self.http_status = http_status

    @property
    def reason(self) -> Any:
        return self.details.get("reason") if isinstance(self.details, dict) else None


async def call(
    name: str,
    data: Mapping[str, Any],
    user: User | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Call the callable `name` with `data`, as `user` (unauthenticated when None)."""
    request_headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if user is not None:
        request_headers["Authorization"] = f"Bearer {user.id_token}"
    if headers:
        request_headers.update(headers)
    async with async_client(HTTP_TIMEOUT) as client:
        response = await post_retrying_hang_ups(
            lambda: client.post(
                functions_url(name), json={"data": dict(data)}, headers=request_headers
            )
        )
    try:
        body = response.json()
    except ValueError:
        raise CallableError(
            f"HTTP_{response.status_code}", response.text[:500], None, response.status_code
        ) from None
    if isinstance(body, dict) and "error" in body:
        error = body["error"] or {}
        raise CallableError(
            str(error.get("status", "UNKNOWN")),
            str(error.get("message", "")),
            error.get("details"),
            response.status_code,
        )
    if response.status_code != 200 or not isinstance(body, dict) or "result" not in body:
        raise CallableError(
            f"HTTP_{response.status_code}", response.text[:500], None, response.status_code
        )
    result = body["result"]
    if not isinstance(result, dict):
        raise CallableError("BAD_RESULT", f"result is not an object: {result!r}")
    return result


def entry_request(
    meeting_id: str, password: str | None = None, display_name: str | None = None
) -> dict[str, Any]:
    """The payload of `join_meeting` and `knock`: optional fields left out, as clients send them."""
    data: dict[str, Any] = {"meetingId": meeting_id}
    if password is not None:
        data["password"] = password
    if display_name is not None:
        data["displayName"] = display_name
    return data


def create_request(
    title: str | None = None, password: str | None = None, lobby: bool | None = False
) -> dict[str, Any]:
    """The payload of `create_meeting`. Without a lobby unless asked (``lobby=None``: the
    server's default, on without a password): tests of other features join directly; the
    lobby's tests (test_hosts.py) knock."""
    data: dict[str, Any] = {}
    if lobby is not None:
        data["lobby"] = lobby
    if title is not None:
        data["title"] = title
    if password is not None:
        data["password"] = password
    return data


async def knock_while_waiting(
    knock: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]],
    data: dict[str, Any],
    interval: float,
    errors: list[str],
) -> None:
    """Knock again every ``interval`` s while the answer is "waiting" (docs/protocol.md, `knock`),
    so the sweep does not withdraw the knock; stops when let in, denied or the meeting ended."""
    while True:
        await asyncio.sleep(interval)
        try:
            if (await knock(data))["state"] != "waiting":
                return  # let in: the test joins when it wants
        except CallableError as error:
            if error.reason in ("denied", "meeting-ended"):
                return
            errors.append(f"knock in {data['meetingId']}: {error!r}")
