"""Smoke test of a deployment: two aiortc peers meet through it and leave a CDR.

    nox -s smoke -- --project <id>          # a deployed project (your gcloud ADC credentials)
    nox -s smoke -- --emulators             # the same steps against the local emulators

Steps (each printed; the first failure stops the run with a non-zero exit, and the clean-up runs
whatever happened):

 1. two throw-away users sign in: against a project they are created with the Admin SDK and
    signed in with custom tokens through Identity Platform, whose blocking function
    ``auth_callback`` then runs (a wrong blocking-function URI fails here, "incorrect aud
    claim"); against the emulators they sign in with Google as the emulator tests do, because the
    Auth emulator calls blocking functions for that and not for custom tokens;
 2. the first creates a meeting; both join through ``join_meeting``;
 3. two real aiortc peers (the emulator tests' MeetingPeer, tests/emulator/support/peer.py)
    exchange offer, answer and ICE candidates through Firestore as those users, so the security
    rules apply, and connect; a data-channel message crosses;
 4. the connection is reported; both leave;
 5. as admin: the CDR leg records both users, reached "connected" and ended; the identities
    that auth_callback writes exist (required against the emulators; a warning against a
    project, where it depends on Identity Platform calling it for custom-token sign-ins);
 6. clean-up: the users, the meeting and every record of it are deleted.

The peers run on this machine and connect over loopback; what is tested is the deployment's
signalling, rules, functions and records, not NAT traversal.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
DEADLINE_SECONDS: Final = 90.0


@dataclass
class Target:
    project: str
    live: bool
    region: str
    api_key: str
    auth_base: str  # identitytoolkit base URL (the Auth emulator's, or Google's)


def step(message: str) -> None:
    print(f"smoke > {message}", flush=True)


def configure(args: argparse.Namespace) -> Target:
    """Point the test support (and the Admin SDK) at the emulators or the project."""
    if args.emulators:
        project = os.environ.get("GCLOUD_PROJECT") or "demo-avmeets"
        auth_host = os.environ.get("FIREBASE_AUTH_EMULATOR_HOST") or "127.0.0.1:9099"
        os.environ.setdefault("FIRESTORE_EMULATOR_HOST", "127.0.0.1:8080")
        os.environ.setdefault("FIREBASE_AUTH_EMULATOR_HOST", auth_host)
        return Target(project, False, "us-central1", "fake-api-key", f"http://{auth_host}")
    project = args.project
    os.environ["AVMEETS_LIVE_PROJECT"] = project
    os.environ["GOOGLE_CLOUD_PROJECT"] = project
    for variable in ("FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST"):
        os.environ.pop(variable, None)
    sys.path.insert(0, str(ROOT))
    from tools.deploy.settings import DeploySettings

    region = args.region or DeploySettings.load(project).region
    os.environ["AVMEETS_LIVE_REGION"] = region
    api_key = args.api_key or hosting_api_key(project)
    return Target(project, True, region, api_key, "https://identitytoolkit.googleapis.com")


def hosting_api_key(project: str) -> str:
    """The web API key, from the same reserved Hosting URL the web app reads."""
    url = f"https://{project}.web.app/__/firebase/init.json"
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(json.load(response)["apiKey"])


def admin_app(target: Target, signer: str | None) -> Any:
    import firebase_admin

    options: dict[str, Any] = {"projectId": target.project}
    if target.live:
        # Custom tokens are signed through the IAM API with the operator's ADC credentials.
        options["serviceAccountId"] = (
            signer or f"avmeets-functions@{target.project}.iam.gserviceaccount.com"
        )
    return firebase_admin.initialize_app(options=options, name=f"smoke-{secrets.token_hex(3)}")


async def sign_in(target: Target, app: Any, label: str) -> Any:
    """Create a user and sign it in with a custom token (blocking function included)."""
    import httpx
    from firebase_admin import auth

    from tests.emulator.support.auth import User

    email = f"smoke-{label}-{secrets.token_hex(4)}@example.invalid"
    record = auth.create_user(email=email, display_name=f"Smoke {label}", app=app)
    token = auth.create_custom_token(record.uid, app=app).decode()
    url = f"{target.auth_base}/identitytoolkit.googleapis.com/v1/accounts:signInWithCustomToken"
    if target.live:
        url = f"{target.auth_base}/v1/accounts:signInWithCustomToken"
    async with httpx.AsyncClient(timeout=60) as client:
        response = await client.post(
            url, params={"key": target.api_key}, json={"token": token, "returnSecureToken": True}
        )
    body = response.json()
    if response.status_code != 200 or "idToken" not in body:
        raise SmokeFailure(f"sign-in of {email} refused: {body.get('error', body)}")
    return User(uid=record.uid, id_token=body["idToken"], email=email, name=f"Smoke {label}")


class SmokeFailure(RuntimeError):
    """A step of the smoke test failed."""


async def wait_for(what: str, condition: Callable[[], bool | Awaitable[bool]]) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        result = condition()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        await asyncio.sleep(0.5)
    raise SmokeFailure(f"timed out after {DEADLINE_SECONDS:.0f} s waiting for {what}")


async def run(target: Target, signer: str | None) -> None:
    from firebase_admin import auth
    from google.cloud import firestore

    from tests.emulator.support.peer import MeetingPeer

    app = admin_app(target, signer)
    # As admin: the emulator without credentials, the project with the operator's ADC.
    db = firestore.Client(project=target.project)
    uids: list[str] = []
    peers: list[MeetingPeer] = []
    meeting_id: str | None = None
    try:
        step(f"1. sign in two users on {target.project} (the blocking function runs)")
        if target.live:
            users = [await sign_in(target, app, label) for label in ("a", "b")]
        else:
            from tests.emulator.support.auth import sign_in_with_google

            users = [await sign_in_with_google(f"Smoke {label}") for label in ("a", "b")]
        uids = [u.uid for u in users]
        alice, bob = (
            MeetingPeer(label, ip="203.0.113.250", user=u)
            for label, u in zip(("a", "b"), users, strict=True)
        )
        peers = [alice, bob]

        step("2. create a meeting and join it with both")
        meeting_id = await alice.create_meeting(title="smoke test")
        await alice.join(meeting_id)
        await bob.join(meeting_id)

        step("3. the peers connect through Firestore signalling; a message crosses")
        await wait_for(
            "both peers connected",
            lambda: alice.connected_to(bob.uid) and bob.connected_to(alice.uid),
        )

        def chat_open() -> bool:
            channel = alice.links[bob.uid].channel if bob.uid in alice.links else None
            return channel is not None and channel.readyState == "open"

        await wait_for("the data channel to open", chat_open)
        text = f"hello {secrets.token_hex(4)}"
        alice.send_chat(bob.uid, text)
        await wait_for("the data-channel message", lambda: text in bob.messages_from(alice.uid))

        step("4. the connection is reported as connected in the CDR")

        def leg_connected() -> bool:
            legs = db.collection("cdrs").where("meetingId", "==", meeting_id).get()
            return any(
                (leg.to_dict() or {}).get("state") == "connected"
                and sorted((leg.to_dict() or {}).get("uids", [])) == sorted(uids)
                for leg in legs
            )

        await wait_for(
            "a connected CDR leg of both users", lambda: asyncio.to_thread(leg_connected)
        )

        step("5. both leave; the leg ends and both identities are recorded")
        await alice.leave()
        await bob.leave()

        def leg_ended() -> bool:
            legs = [
                d.to_dict() or {}
                for d in db.collection("cdrs").where("meetingId", "==", meeting_id).get()
            ]
            return bool(legs) and all(leg.get("state") == "ended" for leg in legs)

        await wait_for("the CDR leg to end", lambda: asyncio.to_thread(leg_ended))
        for uid in uids:
            if db.collection("identities").document(uid).get().exists:
                continue
            if not target.live:
                raise SmokeFailure(f"no identity recorded for {uid}: did auth_callback run?")
            step(f"warning: no identity for {uid}: auth_callback did not run for a custom token")
        step("passed")
    finally:
        for peer in peers:
            try:
                await peer.dispose()
            except Exception as error:  # clean-up must go on
                step(f"clean-up: closing {peer.label}: {error}")
        await asyncio.to_thread(clean_up, db, auth, app, uids, meeting_id)


def clean_up(db: Any, auth: Any, app: Any, uids: list[str], meeting_id: str | None) -> None:
    """Delete the smoke test's users and every record of its meeting."""
    if meeting_id is not None:
        meeting = db.collection("meetings").document(meeting_id)
        for sub in ("participants", "signals"):
            for snap in meeting.collection(sub).list_documents():
                snap.delete()
        meeting.delete()
        db.collection("meeting_secrets").document(meeting_id).delete()
        for name in ("cdrs", "joins"):
            for snap in db.collection(name).where("meetingId", "==", meeting_id).get():
                snap.reference.delete()
    for uid in uids:
        db.collection("identities").document(uid).delete()
        with contextlib.suppress(auth.UserNotFoundError):
            auth.delete_user(uid, app=app)
    step(f"clean-up: deleted {len(uids)} users and meeting {meeting_id}")


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="nox -s smoke --",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    where = parse.add_mutually_exclusive_group(required=True)
    where.add_argument("--project", help="the deployed Firebase project id")
    where.add_argument("--emulators", action="store_true", help="the local emulators")
    parse.add_argument("--region", help="functions region (default: FUNCTIONS_REGION of .env)")
    parse.add_argument("--api-key", help="web API key (default: read from Hosting's init.json)")
    parse.add_argument("--signer", help="service account that signs custom tokens (live only)")
    return parse


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    sys.path.insert(0, str(ROOT))
    target = configure(args)
    try:
        asyncio.run(run(target, args.signer))
    except SmokeFailure as error:
        step(f"FAILED: {error}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
