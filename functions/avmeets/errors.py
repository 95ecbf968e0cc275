"""The exception tree of the domain, each class tied to one callable error code.

Services raise these; the adapter layer (``handlers``) turns them into the SDK's ``HttpsError`` so
clients get the code, a clear message and optional machine-readable details. A ``reason`` is
always a member of ``protocol.ErrorReason`` (tests/unit/test_protocol_reasons.py holds every
raise to ``protocol.ERROR_CODES``).
"""

from __future__ import annotations

from typing import Any

from .protocol import ErrorReason


class AvmeetsError(Exception):
    """Base class: a refusal the client is told about, never an internal failure."""

    code = "INTERNAL"

    def __init__(self, message: str, *, reason: ErrorReason | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.details: dict[str, Any] = details
        if reason is not None:
            self.details = {"reason": reason.value, **details}


class InvalidArgument(AvmeetsError):
    """The request is malformed: a missing, extra, mistyped or oversize field."""

    code = "INVALID_ARGUMENT"


class Unauthenticated(AvmeetsError):
    """No valid ID token came with the request."""

    code = "UNAUTHENTICATED"


class PermissionDenied(AvmeetsError):
    """The caller is known but may not do this (wrong password, policy, not a participant)."""

    code = "PERMISSION_DENIED"


class AccountBlocked(PermissionDenied):
    """The caller's organisation blocked its address: refused, and its sessions revoked."""


class NotFound(AvmeetsError):
    """The meeting (or other named object) does not exist."""

    code = "NOT_FOUND"


class FailedPrecondition(AvmeetsError):
    """The request is valid but the system is not in a state that allows it."""

    code = "FAILED_PRECONDITION"


class ResourceExhausted(AvmeetsError):
    """A limit is reached: too many attempts, a full meeting, a rate limit."""

    code = "RESOURCE_EXHAUSTED"


class Unavailable(AvmeetsError):
    """A transient condition (contention): the same request may succeed when retried."""

    code = "UNAVAILABLE"
