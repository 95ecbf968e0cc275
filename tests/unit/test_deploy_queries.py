"""tools/deploy/queries.py: every query's index needs, read from the functions' source and plan.

Each test writes a small ``functions/`` tree (an ``avmeets`` package with ``store/names.py``, as
the real one) and analyses it; the last one analyses the repository itself.
"""

from __future__ import annotations

from pathlib import Path

from tools.deploy import queries

ROOT = Path(__file__).resolve().parents[2]
NAMES = 'CDRS = "cdrs"\nPARTS = "participants"\n'
HEADER = (
    "from google.cloud.firestore_v1.base_query import FieldFilter\n"
    "from google.cloud.firestore_v1.field_path import FieldPath\n"
    "from .store import names\n"
)

SPEC = {
    "indexes": [
        {
            "collectionGroup": "cdrs",
            "queryScope": "COLLECTION",
            "fields": [
                {"fieldPath": "meetingId", "order": "ASCENDING"},
                {"fieldPath": "startedAt", "order": "ASCENDING"},
            ],
        }
    ],
    "fieldOverrides": [],
}
GROUP_OVERRIDE = {
    "collectionGroup": "participants",
    "fieldPath": "expiresAt",
    "indexes": [{"order": "ASCENDING", "queryScope": "COLLECTION_GROUP"}],
}


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "functions"
    base = {
        "avmeets/__init__.py": "",
        "avmeets/store/__init__.py": "",
        "avmeets/store/names.py": NAMES,
    }
    for name, text in {**base, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _analyse(tmp_path: Path, source: str, **files: str) -> queries.Analysis:
    extra = {name.replace("__", "/") + ".py": text for name, text in files.items()}
    return queries.analyse(_tree(tmp_path, {"avmeets/code.py": HEADER + source, **extra}))


def _described(analysis: queries.Analysis) -> set[str]:
    return {q.describe() for q in analysis.queries}


def test_equality_only_queries_merge_single_field_indexes(tmp_path: Path) -> None:
    analysis = _analyse(
        tmp_path,
        "def f(c):\n"
        "    return c.collection(names.CDRS).where('a', '==', 1).where('b', '==', 2).get()\n",
    )
    assert _described(analysis) == {"cdrs: a ==, b =="}
    assert queries.missing_indexes(analysis.queries, SPEC) == []


def test_array_contains_with_equality_needs_a_composite(tmp_path: Path) -> None:
    analysis = _analyse(
        tmp_path,
        "def f(c, m, u):\n"
        "    q = c.collection(names.CDRS).where(filter=FieldFilter('meetingId', '==', m))\n"
        "    return q.where(filter=FieldFilter('uids', 'array_contains', u)).stream()\n",
    )
    missing = queries.missing_indexes(analysis.queries, SPEC)
    assert [q.describe() for q in missing] == ["cdrs: meetingId ==, uids array_contains"]
    assert queries.suggested_index(missing[0])["fields"][1] == {
        "fieldPath": "uids",
        "arrayConfig": "CONTAINS",
    }


def test_filters_added_by_a_helper_are_followed(tmp_path: Path) -> None:
    source = (
        "def window(q, since):\n"
        "    if since:\n"
        "        q = q.where(filter=FieldFilter('startedAt', '>=', since))\n"
        "    return q\n"
        "def f(c, m, s, u):\n"
        "    window(c.collection(names.CDRS).where(filter=FieldFilter('meetingId', '==', m)), s)\n"
        "    cdrs = c.collection(names.CDRS)\n"
        "    window(cdrs.where(filter=FieldFilter('uids', 'array_contains', u)), s)\n"
    )
    missing = queries.missing_indexes(_analyse(tmp_path, source).queries, SPEC)
    assert [q.describe() for q in missing] == ["cdrs: uids array_contains, startedAt >="]


def test_collection_group_queries_need_an_override(tmp_path: Path) -> None:
    source = (
        "def f(c, t):\n    c.collection_group(names.PARTS).where('expiresAt', '<=', t).stream()\n"
    )
    analysis = _analyse(tmp_path, source)
    assert len(queries.missing_indexes(analysis.queries, SPEC)) == 1
    spec = {"indexes": [], "fieldOverrides": [GROUP_OVERRIDE]}
    assert queries.missing_indexes(analysis.queries, spec) == []


def test_names_and_fields_come_from_constants_of_any_module(tmp_path: Path) -> None:
    source = (
        "from .store.names import CDRS\n"
        "from .store import names as n\n"
        "from . import consts\n"
        "from .consts import COLLECTIONS\n"
        "def f(c, v):\n"
        "    c.collection(CDRS).where(filter=FieldFilter(field_path='a', op_string='<', value=1))\n"
        "    for side in consts.SIDES:\n"
        "        c.collection(n.PARTS).where(filter=FieldFilter(f'{side}.email', 'in', v)).get()\n"
        "    for name in COLLECTIONS:\n"
        "        c.collection(name).where(filter=FieldFilter('expiresAt', '<=', v)).get()\n"
    )
    consts = 'from .store import names\nSIDES = ("caller", "callee")\n'
    consts += "COLLECTIONS: tuple[str, ...] = (names.CDRS, names.PARTS)\n"
    analysis = _analyse(tmp_path, source, avmeets__consts=consts)
    assert analysis.unanalysable == []
    assert _described(analysis) == {
        "cdrs: a <",
        "participants: caller.email in",
        "participants: callee.email in",
        "cdrs: expiresAt <=",
        "participants: expiresAt <=",
    }


def test_field_names_from_a_loop_over_a_constant(tmp_path: Path) -> None:
    source = (
        "SIDES = ('caller', 'callee')\n"
        "def f(c, v):\n"
        "    for side in SIDES:\n"
        "        q = c.collection(names.CDRS).where(f'{side}.email', 'in', v)\n"
        "        q.order_by('startedAt').get()\n"
    )
    missing = queries.missing_indexes(_analyse(tmp_path, source).queries, SPEC)
    assert sorted(q.describe() for q in missing) == [
        "cdrs: callee.email in, order by startedAt ascending",
        "cdrs: caller.email in, order by startedAt ascending",
    ]


def test_unresolvable_names_are_reported_not_ignored(tmp_path: Path) -> None:
    analysis = _analyse(
        tmp_path,
        "def f(c, name, where):\n"
        "    c.collection(name).where('a', '<', 1).get()\n"
        "    c.collection(names.CDRS).where(filter=where).get()\n"
        "    c.collection(names.CDRS).where(filter=FieldFilter(where.field, '==', 1)).get()\n",
    )
    assert [line.split(": ", 1)[1] for line in analysis.unanalysable] == [
        "collection() of a name this analysis cannot resolve",
        "a where() filter that is not a FieldFilter(...)",
        "a where() on a field this analysis cannot resolve",
    ]


# --- the purge: queries from the plan's shapes -----------------------------------------------

PLAN = """
from dataclasses import dataclass


@dataclass(frozen=True)
class Where:
    field: str
    op: str
    value: object


@dataclass(frozen=True)
class Shape:
    collection: str
    where: Where | None = None
    order: str | None = None
    group: bool = False


@dataclass(frozen=True)
class Plan:
    now: object

    def shapes(self):
        return (
            Shape("participants", Where("expiresAt", "<=", self.now), "expiresAt", group=True),
            Shape("cdrs", order="startedAt"),
        )


def make_plan(now, *, max_stored_cdrs, meeting_idle_hours):
    return Plan(now)
"""
EXECUTE = (
    HEADER.replace("from .store", "from ..store")
    + """
def planned_query(client, shape):
    return client.collection(shape.collection).where(filter=FieldFilter(shape.where.field, "<", 1))


def run(client, plan, wanted):
    for shape in plan.shapes():
        query = planned_query(client, shape)
        query.select([]).limit(10).stream()
        query.order_by(FieldPath.document_id()).stream()
    planned_query(client, wanted).where(filter=FieldFilter("state", "==", "x")).stream()
    client.collection(names.CDRS).count().get()
"""
)


def _purge(tmp_path: Path, plan: str = PLAN, execute: str = EXECUTE) -> queries.Analysis:
    files = {"avmeets/purge/__init__.py": "", "avmeets/purge/plan.py": plan}
    files["avmeets/purge/execute.py"] = execute
    return queries.analyse(_tree(tmp_path, files))


def test_the_purge_queries_are_the_plans_shapes(tmp_path: Path) -> None:
    analysis = _purge(tmp_path)
    assert analysis.errors == []
    described = _described(analysis)
    group = "participants (collection group): expiresAt <=, order by expiresAt ascending"
    assert {group, "cdrs: order by startedAt ascending", "cdrs: no filter"} == described
    missing = queries.missing_indexes(analysis.queries, SPEC)
    assert [q.describe() for q in missing] == [group]
    spec = {**SPEC, "fieldOverrides": [GROUP_OVERRIDE]}
    assert queries.missing_indexes(analysis.queries, spec) == []
    # The builder's own body is not read; a filter added to a planned query is reported.
    assert len(analysis.unanalysable) == 1
    assert "where() on a planned purge query" in analysis.unanalysable[0]


def test_a_purge_whose_queries_cannot_be_read_is_an_error(tmp_path: Path) -> None:
    renamed = _purge(tmp_path / "a", execute=EXECUTE.replace("planned_query", "build"))
    assert any("has no planned_query()" in e for e in renamed.errors), renamed.errors
    broken = _purge(tmp_path / "b", plan=PLAN.replace("def make_plan", "def make_a_plan"))
    assert any("planner" in e and "ImportError" in e for e in broken.errors), broken.errors


def test_the_repository_queries_all_have_indexes() -> None:
    analysis, missing = queries.check(ROOT / "functions", ROOT / "firestore.indexes.json")
    assert analysis.errors == []
    assert analysis.unanalysable == []
    assert missing == []
    described = _described(analysis)
    assert len(described) > 30
    # The open-legs query (its composite index) and the purge's collection-group queries.
    assert "cdrs: meetingId ==, uids array_contains, state in" in described
    # Stale signals are found by reading the group by name (no index on createdAt; issue 20).
    assert "signals (collection group): no filter" in described
    assert "presence (collection group): sweepShard in, lastSeenAt <" in described
    assert "participants (collection group): expiresAt <=, order by expiresAt ascending" in (
        described
    )
