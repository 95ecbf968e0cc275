"""The production ID-token check refuses forged, stale and misdirected tokens.

In the Firebase emulator (``FIREBASE_AUTH_EMULATOR_HOST`` set) firebase-admin's
``verify_id_token`` checks neither the signature nor ``exp``, so the emulator tests can only
record that expired or forged tokens pass there (``EMULATOR_ACCEPTS`` in
tests/emulator/test_callable_properties.py). This module runs the production path instead: the
emulator variable is unset and tokens are verified with RS256 against X.509 certificates.

Production fetches those certificates from Google's securetoken endpoint
(``firebase_admin._token_gen.ID_TOKEN_CERT_URI``), which this machine cannot reach. So a real
HTTP server on 127.0.0.1 serves ``{kid: certificate PEM}`` in the same JSON shape, for a
self-signed certificate of a key generated here, and the ONLY change made to firebase-admin is
that URL (patched before the app's verifier is built; the server's request log proves the
verifier fetched from it). Everything else - header checks, claim checks, signature check,
``exp``/``iat`` - is the unmodified SDK code that runs in Cloud Functions.

Two levels are covered:

* ``firebase_admin.auth.verify_id_token`` on an app initialised with a project id and anonymous
  credentials (no network, no service account): the valid token verifies and returns its uid;
  every bad token is refused, each for the reason it was built to fail.
* The callable wrapper as production wires it: ``main.heartbeat`` (``https_fn.on_call``) given a
  Flask request with ``Authorization: Bearer <token>``. Every bad token gets HTTP 401
  ``UNAUTHENTICATED`` from the SDK before the handler runs, so before any Firestore access;
  the valid token reaches the handler, which refuses the deliberately malformed meeting id with
  ``INVALID_ARGUMENT`` (also before any I/O). ``avmeets.db.client`` is a tripwire throughout.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import firebase_admin
import flask
import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from firebase_admin import _token_gen, auth
from google.auth.credentials import AnonymousCredentials

from avmeets import db, handlers

PROJECT_ID = "demo-avmeets"
ISSUER = f"https://securetoken.google.com/{PROJECT_ID}"
KID = "test-key-1"
UID = "alice-uid"
CERTS_PATH = "/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com"
# heartbeat's payload check refuses this (not abc-defg-hij) before anything is read.
MALFORMED_MEETING_ID = "not-a-meeting-id"


# --- keys, certificate and the local stand-in for Google's certificate endpoint -----------------


@dataclass(frozen=True)
class Keys:
    signing: rsa.RSAPrivateKey  # its certificate is served under KID
    other: rsa.RSAPrivateKey  # never served: a forger's key
    cert_pem: str


def _self_signed_cert(key: rsa.RSAPrivateKey) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "securetoken.system.test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


@pytest.fixture(scope="module")
def keys() -> Keys:
    signing = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return Keys(signing=signing, other=other, cert_pem=_self_signed_cert(signing))


@dataclass
class CertServer:
    url: str
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def cert_server(keys: Keys) -> Iterator[CertServer]:
    """Serve ``{KID: cert PEM}`` at CERTS_PATH on 127.0.0.1 (an ephemeral port)."""
    body = json.dumps({KID: keys.cert_pem}).encode("utf-8")
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            if self.path != CERTS_PATH:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            # Like Google's endpoint: cacheable (the verifier's CacheControl session honours it).
            self.send_header("Cache-Control", "public, max-age=3600")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="cert-server", daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        yield CertServer(url=f"http://127.0.0.1:{port}{CERTS_PATH}", requests=seen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def production_auth(monkeypatch: pytest.MonkeyPatch, cert_server: CertServer) -> None:
    """The production verification path, with certificates from the local server."""
    monkeypatch.delenv("FIREBASE_AUTH_EMULATOR_HOST", raising=False)
    # requests honours *_PROXY variables; the local server must be reached directly.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    # The one change to firebase-admin: read when an app's TokenVerifier is built (lazily, on
    # the app's first auth call), so it applies to the fresh apps of these tests only.
    monkeypatch.setattr(_token_gen, "ID_TOKEN_CERT_URI", cert_server.url)


@pytest.fixture
def app(production_auth: None) -> Iterator[firebase_admin.App]:
    """A named app: a project id and anonymous credentials, so nothing needs the network."""
    named = firebase_admin.initialize_app(
        AnonymousCredentials(),
        options={"projectId": PROJECT_ID},
        name=f"token-verification-{uuid.uuid4()}",
    )
    try:
        yield named
    finally:
        firebase_admin.delete_app(named)


# --- tokens -------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _claims(now: int, **overrides: Any) -> dict[str, Any]:
    """The claims of a Firebase ID token for UID (iat a few seconds back: no clock edge)."""
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": PROJECT_ID,
        "auth_time": now - 5,
        "user_id": UID,
        "sub": UID,
        "iat": now - 5,
        "exp": now + 3600,
        "firebase": {"identities": {}, "sign_in_provider": "anonymous"},
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _sign(claims: dict[str, Any], key: rsa.RSAPrivateKey, kid: str | None = KID) -> str:
    headers = {"kid": kid} if kid is not None else None
    return jwt.encode(claims, key, algorithm="RS256", headers=headers)


def _valid(keys: Keys, now: int) -> str:
    return _sign(_claims(now), keys.signing)


def _uid_swapped(keys: Keys, now: int) -> str:
    """A genuinely signed token whose payload was edited to another uid afterwards."""
    header, payload, signature = _valid(keys, now).split(".")
    claims = json.loads(_unb64(payload))
    claims["sub"] = claims["user_id"] = "mallory-uid"
    return ".".join([header, _b64(json.dumps(claims).encode()), signature])


def _signature_stripped(keys: Keys, now: int) -> str:
    header, payload, _ = _valid(keys, now).split(".")
    return f"{header}.{payload}."


def _alg_none(keys: Keys, now: int) -> str:
    return jwt.encode(_claims(now), "", algorithm="none", headers={"kid": KID})


def _hs256_with_public_cert(keys: Keys, now: int) -> str:
    """Algorithm confusion: HMAC-signed with the served (public) certificate as the secret."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": KID}).encode())
    payload = _b64(json.dumps(_claims(now)).encode())
    mac = hmac.new(keys.cert_pem.encode(), f"{header}.{payload}".encode(), hashlib.sha256)
    return f"{header}.{payload}.{_b64(mac.digest())}"


@dataclass(frozen=True)
class BadToken:
    mint: Callable[[Keys, int], str]
    # A fragment of the SDK's refusal: the token fails for the reason it was built to fail.
    reason: str
    expired: bool = False


BAD_TOKENS: dict[str, BadToken] = {
    "expired": BadToken(
        lambda k, now: _sign(
            _claims(now, iat=now - 7200, auth_time=now - 7200, exp=now - 3600), k.signing
        ),
        "Token expired",
        expired=True,
    ),
    "issued_in_future": BadToken(
        lambda k, now: _sign(
            _claims(now, iat=now + 600, auth_time=now + 600, exp=now + 4200), k.signing
        ),
        "Token used too early",
    ),
    "no_exp": BadToken(
        lambda k, now: _sign(_claims(now, exp=None), k.signing),
        "does not contain required claim exp",
    ),
    "wrong_audience": BadToken(
        lambda k, now: _sign(_claims(now, aud="another-project"), k.signing),
        'incorrect "aud" (audience) claim',
    ),
    "wrong_issuer": BadToken(
        lambda k, now: _sign(
            _claims(now, iss="https://securetoken.google.com/another-project"), k.signing
        ),
        'incorrect "iss" (issuer) claim',
    ),
    "other_key_same_kid": BadToken(
        lambda k, now: _sign(_claims(now), k.other), "Could not verify token signature"
    ),
    "alg_none_unsigned": BadToken(_alg_none, "incorrect algorithm"),
    "hs256_with_public_cert": BadToken(_hs256_with_public_cert, "incorrect algorithm"),
    "signature_stripped": BadToken(_signature_stripped, "Could not verify token signature"),
    "uid_swapped_after_signing": BadToken(_uid_swapped, "Could not verify token signature"),
    "empty_sub": BadToken(
        lambda k, now: _sign(_claims(now, sub="", user_id=""), k.signing),
        'empty string "sub" (subject) claim',
    ),
    "unknown_kid": BadToken(
        lambda k, now: _sign(_claims(now), k.signing, kid="unknown-kid"),
        "Certificate for key id unknown-kid not found",
    ),
    "no_kid": BadToken(
        lambda k, now: _sign(_claims(now), k.signing, kid=None), 'has no "kid" claim'
    ),
}


# --- level 1: firebase_admin.auth.verify_id_token ----------------------------------------------


def test_valid_token_verifies_against_local_certs(
    app: firebase_admin.App, keys: Keys, cert_server: CertServer
) -> None:
    before = len(cert_server.requests)
    claims = auth.verify_id_token(_valid(keys, int(time.time())), app=app)
    assert claims["uid"] == UID
    assert claims["aud"] == PROJECT_ID
    assert claims["iss"] == ISSUER
    # The certificates came from the local server, not from Google.
    assert cert_server.requests[before:] == [CERTS_PATH]


@pytest.mark.parametrize("case", list(BAD_TOKENS.values()), ids=list(BAD_TOKENS))
def test_bad_token_is_refused(app: firebase_admin.App, keys: Keys, case: BadToken) -> None:
    token = case.mint(keys, int(time.time()))
    expected = auth.ExpiredIdTokenError if case.expired else auth.InvalidIdTokenError
    with pytest.raises(expected, match=re.escape(case.reason)) as refused:
        auth.verify_id_token(token, app=app)
    # Refused by verification, not by failing to fetch the certificates.
    assert not isinstance(refused.value, auth.CertificateFetchError)


# --- level 2: the callable wrapper (main.heartbeat, https_fn.on_call) ---------------------------


@dataclass
class HeartbeatEndpoint:
    endpoint: Callable[[flask.Request], flask.Response]
    handler_calls: list[str | None]


@pytest.fixture
def heartbeat(
    production_auth: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[HeartbeatEndpoint]:
    """main.heartbeat with the default app on anonymous credentials and a Firestore tripwire.

    The callable wrapper verifies with the default app. main.py creates it at import
    (``db.ensure_app``) with application-default credentials, which the auth client would try to
    load (the metadata server is not here); so while this fixture runs the default app is one
    with the project id and anonymous credentials, and main is imported only once it exists.
    """
    try:
        previous: firebase_admin.App | None = firebase_admin.get_app()
    except ValueError:
        previous = None
    if previous is not None:
        firebase_admin.delete_app(previous)
    default = firebase_admin.initialize_app(AnonymousCredentials(), {"projectId": PROJECT_ID})

    import main  # after the default app exists: its db.ensure_app() then creates nothing

    def no_firestore() -> Any:
        raise AssertionError("Firestore was reached")

    monkeypatch.setattr(db, "client", no_firestore)
    calls: list[str | None] = []
    real_heartbeat = handlers.heartbeat

    def spy(req: Any) -> Any:
        calls.append(req.auth.uid if req.auth is not None else None)
        return real_heartbeat(req)

    monkeypatch.setattr(handlers, "heartbeat", spy)
    endpoint: Callable[[flask.Request], flask.Response] = main.heartbeat  # type: ignore[assignment]
    try:
        yield HeartbeatEndpoint(endpoint=endpoint, handler_calls=calls)
    finally:
        firebase_admin.delete_app(default)
        if previous is not None:
            db.ensure_app()  # as main.py created it


def _call(endpoint: Callable[[flask.Request], flask.Response], token: str) -> flask.Response:
    app = flask.Flask(__name__)
    with app.test_request_context(
        "/heartbeat",
        method="POST",
        json={"data": {"meetingId": MALFORMED_MEETING_ID}},
        headers={"Authorization": f"Bearer {token}"},
    ):
        return endpoint(flask.request)


def _error_status(response: flask.Response) -> str | None:
    body = response.get_json()
    assert isinstance(body, dict), response.get_data(as_text=True)
    error = body.get("error")
    return error.get("status") if isinstance(error, dict) else None


def test_callable_passes_valid_token_to_handler(heartbeat: HeartbeatEndpoint, keys: Keys) -> None:
    response = _call(heartbeat.endpoint, _valid(keys, int(time.time())))
    assert _error_status(response) != "UNAUTHENTICATED"
    # Verified, handed to the handler with its uid, refused there by payload validation.
    assert heartbeat.handler_calls == [UID]
    assert response.status_code == 400
    assert _error_status(response) == "INVALID_ARGUMENT"


@pytest.mark.parametrize("case", list(BAD_TOKENS.values()), ids=list(BAD_TOKENS))
def test_callable_refuses_bad_token_before_handler(
    heartbeat: HeartbeatEndpoint, keys: Keys, case: BadToken
) -> None:
    response = _call(heartbeat.endpoint, case.mint(keys, int(time.time())))
    assert response.status_code == 401
    assert _error_status(response) == "UNAUTHENTICATED"
    assert heartbeat.handler_calls == []  # refused by the SDK: no handler code, no Firestore
