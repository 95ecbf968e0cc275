"""bench/firestore_counting.py: what the functions' Firestore RPCs count as (benchmark only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from google.cloud.firestore_v1 import client as client_module

from bench import firestore_counting

DB = "projects/p/databases/(default)/documents"


class FakeApi:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def commit(self, request: Any = None, metadata: Any = None) -> str:
        self.calls.append("commit")
        return "committed"

    def list_collection_ids(self) -> str:
        return "passed through"


def test_commits_count_writes_and_deletes_per_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FUNCTION_TARGET", "join_meeting")
    out = tmp_path / "counts.jsonl"
    api = firestore_counting.CountingApi(FakeApi(), str(out))
    writes = [
        {"update": {"name": f"{DB}/meetings/m1"}},
        {"update": {"name": f"{DB}/meetings/m1/participants/u1"}},
        {"delete": f"{DB}/cdrs/leg1"},
    ]
    assert api.commit(request={"writes": writes}) == "committed"
    assert api.list_collection_ids() == "passed through"
    (line,) = out.read_text().splitlines()
    record = json.loads(line)
    assert record["fn"] == "join_meeting"
    assert sorted(map(tuple, record["counts"])) == [
        ("delete", "cdrs", 1),
        ("write", "meetings", 1),
        ("write", "participants", 1),
    ]


def test_install_wraps_every_clients_api_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = vars(client_module.Client)["_firestore_api"]
    monkeypatch.setattr(client_module.Client, "_firestore_api", original)  # restored after
    fake = FakeApi()
    monkeypatch.setattr(
        client_module.Client, "_firestore_api", property(lambda self: fake), raising=True
    )
    firestore_counting.install(str(tmp_path / "c.jsonl"))
    firestore_counting.install(str(tmp_path / "c.jsonl"))  # a second install changes nothing
    client = object.__new__(client_module.Client)
    api = client._firestore_api
    assert isinstance(api, firestore_counting.CountingApi)
    assert api._api is fake
    assert client._firestore_api is api
