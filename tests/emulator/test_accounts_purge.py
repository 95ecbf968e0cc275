"""Auth accounts idle past retention are deleted by the purge (functions/avmeets/accounts.py).

Accounts with old sign-in times are imported into the Auth emulator (its batchCreate is what
`auth.import_users` calls), beside accounts that signed in for real just now. The hourly job, run
as Cloud Scheduler would, and the operator's `avmeets purge` both delete exactly the idle ones;
a dry run deletes nothing and counts the same.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from .support.admin import auth_accounts
from .support.auth import sign_in_with_google
from .support.cli import run_cli
from .support.config import AUTH_HOST, PROJECT_ID
from .support.scheduler import run_scheduled

ACCOUNTS = f"http://{AUTH_HOST}/identitytoolkit.googleapis.com/v1/projects/{PROJECT_ID}/accounts"
OWNER = {"Authorization": "Bearer owner"}
DAY_MS = 24 * 3600 * 1000


async def _import(users: dict[str, int]) -> None:
    """Create accounts ``uid -> days since last sign-in``, as `auth.import_users` would."""
    now = int(time.time() * 1000)
    body = {
        "users": [
            {
                "localId": uid,
                "email": f"{uid}@example.com",
                "createdAt": str(now - (days + 1) * DAY_MS),
                "lastLoginAt": str(now - days * DAY_MS),
            }
            for uid, days in users.items()
        ]
    }
    async with httpx.AsyncClient(timeout=30.0) as client:
        response = await client.post(f"{ACCOUNTS}:batchCreate", json=body, headers=OWNER)
    response.raise_for_status()
    assert not response.json().get("error"), response.text


async def _uids() -> set[str]:
    return {account["localId"] for account in (await auth_accounts()).values()}


def _cli(*args: str) -> dict[str, Any]:
    done = run_cli("purge", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


async def test_idle_accounts_are_deleted_active_ones_kept() -> None:
    await _import({"idle-10d": 10, "idle-8d": 8, "recent-6d": 6, "recent-1d": 1})
    alice = await sign_in_with_google("Alice")
    before = await _uids()
    assert {"idle-10d", "idle-8d", "recent-6d", "recent-1d", alice.uid} <= before

    dry = _cli("--dry-run")
    assert dry["accounts"] == {**dry["accounts"], "dryRun": True, "due": 2, "deleted": 0}
    assert await _uids() == before

    report = _cli()
    assert (report["accounts"]["due"], report["accounts"]["deleted"]) == (2, 2), report
    assert report["accounts"]["failed"] == 0
    assert await _uids() == before - {"idle-10d", "idle-8d"}

    # Nothing left to do: a second run deletes nothing.
    assert _cli()["accounts"]["deleted"] == 0


async def test_the_hourly_job_deletes_idle_accounts() -> None:
    await _import({"idle-9d": 9, "recent-2d": 2})
    bob = await sign_in_with_google("Bob")
    await run_scheduled("purge")
    left = await _uids()
    assert "idle-9d" not in left
    assert {"recent-2d", bob.uid} <= left
