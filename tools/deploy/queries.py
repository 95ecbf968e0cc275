"""Which Firestore indexes the functions' queries need, derived from their source.

The emulator never enforces indexes, so a query without its composite index works in every test
and fails in production (FAILED_PRECONDITION). This reads ``functions/**/*.py`` with :mod:`ast`,
finds the query chains (``client.collection(db.CDRS).where(...).order_by(...)``), follows them
through local variables and through small helpers that add filters to a query they are given
(``_time_range(q, since, until)``), and checks each against ``firestore.indexes.json`` with
Firestore's rules:

* a query on one field is served by the automatic single-field index (collection scope), unless
  a field override replaced that field's indexes; a collection-group query needs a field
  override with a ``COLLECTION_GROUP`` index on that field;
* a query whose filters are all ``==`` is served by merging single-field indexes;
* anything else (``in``, ``array-contains``, a range or an order on another field) needs a
  composite index: the equality and array fields first, in any order, then the range and order
  fields.

Limits (conservative, documented in docs/deploy.md): the collection name must be a string or a
constant of ``avmeets.db``; a field name must be a string, or an f-string or variable over a
constant tuple in a ``for`` loop; a query kept in a variable is checked as it stands there.
Anything else is reported as "not analysable", so a new pattern cannot slip through unseen.
"""

from __future__ import annotations

import ast
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

EQUALITY_OPS: Final = frozenset({"==", "in"})
ARRAY_OPS: Final = frozenset(
    {"array_contains", "array_contains_any", "array-contains", "array-contains-any"}
)
RANGE_OPS: Final = frozenset({"<", "<=", ">", ">=", "!=", "not-in", "not_in"})
PASS_THROUGH: Final = frozenset(
    {
        "limit",
        "limit_to_last",
        "select",
        "offset",
        "start_at",
        "start_after",
        "end_at",
        "end_before",
        "stream",
        "get",
        "count",
        "sum",
        "avg",
        "on_snapshot",
    }
)
UNKNOWN: Final = "?"


@dataclass(frozen=True)
class Filter:
    field: str
    op: str


@dataclass(frozen=True)
class Query:
    """One query as Firestore sees it (collection group, scope, filters, orders)."""

    collection: str
    scope: str  # "COLLECTION" or "COLLECTION_GROUP"
    filters: tuple[Filter, ...] = ()
    orders: tuple[tuple[str, str], ...] = ()  # (field, ASCENDING|DESCENDING)
    where: str = ""  # file:line

    def fields(self) -> set[str]:
        return {f.field for f in self.filters} | {o for o, _ in self.orders}

    def describe(self) -> str:
        parts = [f"{f.field} {f.op}" for f in self.filters]
        parts += [f"order by {o} {d.lower()}" for o, d in self.orders]
        scope = " (collection group)" if self.scope == "COLLECTION_GROUP" else ""
        return f"{self.collection}{scope}: {', '.join(parts) or 'no filter'}"


@dataclass(frozen=True)
class ParamRef:
    """A query a function received as its parameter ``index``, with what it added to it."""

    index: int
    filters: tuple[Filter, ...] = ()
    orders: tuple[tuple[str, str], ...] = ()


@dataclass
class Analysis:
    queries: list[Query] = field(default_factory=list)
    unanalysable: list[str] = field(default_factory=list)


# --- reading the source -----------------------------------------------------------------------


def _constants(tree: ast.Module) -> dict[str, Any]:
    """Module-level ``NAME = <literal>`` assignments."""
    found: dict[str, Any] = {}
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        for target in targets:
            if isinstance(target, ast.Name) and value is not None:
                try:
                    found[target.id] = ast.literal_eval(value)
                except ValueError:
                    continue
    return found


class _FunctionAnalyser:
    """Abstract interpretation of one function body, statement by statement."""

    def __init__(self, module: _ModuleAnalyser, func: ast.FunctionDef | ast.Module, path: str):
        self.module = module
        self.func = func
        self.path = path
        self.env: dict[str, list[Any]] = {}
        self.loop_values: dict[str, list[str]] = {}
        self.params: list[str] = []
        if isinstance(func, ast.FunctionDef):
            self.params = [a.arg for a in func.args.posonlyargs + func.args.args]
            for i, name in enumerate(self.params):
                self.env[name] = [ParamRef(i)]
        #: Additions made to each parameter's query (for callers: this function's effect).
        self.effects: dict[int, list[ParamRef]] = {}

    # values -----------------------------------------------------------------------------

    def strings(self, node: ast.expr) -> list[str] | None:
        """The possible string values of ``node``, or None when unknown."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "db" and node.attr in self.module.db_constants:
                return [str(self.module.db_constants[node.attr])]
            return None
        if isinstance(node, ast.Name):
            if node.id in self.loop_values:
                return self.loop_values[node.id]
            value = self.module.constants.get(node.id)
            if isinstance(value, str):
                return [value]
            return None
        if isinstance(node, ast.JoinedStr):
            pieces: list[list[str]] = []
            for part in node.values:
                if isinstance(part, ast.Constant):
                    pieces.append([str(part.value)])
                elif isinstance(part, ast.FormattedValue):
                    values = self.strings(part.value)
                    if values is None:
                        return None
                    pieces.append(values)
            return ["".join(p) for p in itertools.product(*pieces)]
        return None

    def iterable_strings(self, node: ast.expr) -> list[str] | None:
        if isinstance(node, ast.Tuple | ast.List):
            out: list[str] = []
            for element in node.elts:
                values = self.strings(element)
                if values is None:
                    return None
                out += values
            return out
        if isinstance(node, ast.Name):
            value = self.module.constants.get(node.id)
            if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
                return list(value)
        return None

    def values(self, node: ast.expr) -> list[Any]:
        """Abstract values of an expression: Query / ParamRef objects (empty when neither)."""
        if isinstance(node, ast.Name):
            return list(self.env.get(node.id, []))
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Attribute):
            return []
        return []

    def call(self, node: ast.Call) -> list[Any]:
        func = node.func
        if isinstance(func, ast.Attribute):
            method = func.attr
            if method in ("collection", "collection_group") and node.args:
                names = self.strings(node.args[0])
                scope = "COLLECTION_GROUP" if method == "collection_group" else "COLLECTION"
                if names is None:
                    self.unknown(node, f"{method}() of a name this analysis cannot resolve")
                    return []
                where = f"{self.path}:{node.lineno}"
                return [Query(name, scope, where=where) for name in names]
            receivers = self.values(func.value)
            if not receivers:
                return []
            if method == "where":
                options = self.filters(node)
                if options is None:
                    return []
                return [self.add(r, option, ()) for r in receivers for option in options]
            if method == "order_by":
                order = self.order(node)
                if order is None:
                    return []
                return [self.add(r, (), (order,)) for r in receivers if order[0] != "__name__"] + [
                    r for r in receivers if order[0] == "__name__"
                ]
            if method in PASS_THROUGH:
                for r in receivers:
                    if isinstance(r, Query):
                        self.module.record(r)
                return [r for r in receivers if method not in ("stream", "get", "count")]
            return []
        if isinstance(func, ast.Name):
            return self.apply_helper(func.id, node)
        return []

    def apply_helper(self, name: str, node: ast.Call) -> list[Any]:
        """A call of a local or module function that adds to (or runs) a query it is given."""
        effects = self.module.effects_of(name, self)
        if effects is None:
            return []
        out: list[Any] = []
        for index, adds in effects.items():
            if index >= len(node.args):
                continue
            for value in self.values(node.args[index]):
                for add in adds:
                    added = self.add(value, add.filters, add.orders)
                    if isinstance(added, Query):
                        self.module.record(added)
                    out.append(added)
        return out

    def add(self, value: Any, filters: tuple[Filter, ...], orders: tuple[Any, ...]) -> Any:
        if isinstance(value, Query):
            return replace(value, filters=value.filters + filters, orders=value.orders + orders)
        if isinstance(value, ParamRef):
            return replace(value, filters=value.filters + filters, orders=value.orders + orders)
        return value

    def filters(self, node: ast.Call) -> list[tuple[Filter, ...]] | None:
        """The filter(s) of a ``.where(...)`` call: one tuple per possible field name."""
        args: Sequence[ast.expr] = node.args
        for keyword in node.keywords:
            if keyword.arg == "filter" and isinstance(keyword.value, ast.Call):
                args = keyword.value.args
        if len(args) < 2:
            self.unknown(node, "a where() this analysis cannot read")
            return None
        fields = self.strings(args[0])
        ops = self.strings(args[1])
        if fields is None or ops is None:
            self.unknown(node, "a where() on a field this analysis cannot resolve")
            return None
        return [(Filter(f, op),) for f in fields for op in ops]

    def order(self, node: ast.Call) -> tuple[str, str] | None:
        if not node.args:
            return None
        first = node.args[0]
        if isinstance(first, ast.Call) and getattr(first.func, "attr", "") == "document_id":
            return ("__name__", "ASCENDING")
        fields = self.strings(first)
        if fields is None or len(fields) != 1:
            self.unknown(node, "an order_by() on a field this analysis cannot resolve")
            return None
        direction = "ASCENDING"
        for keyword in node.keywords:
            if keyword.arg == "direction":
                text = ast.unparse(keyword.value).upper()
                direction = "DESCENDING" if "DESC" in text else "ASCENDING"
        return (fields[0], direction)

    def unknown(self, node: ast.AST, why: str) -> None:
        self.module.analysis.unanalysable.append(
            f"{self.path}:{getattr(node, 'lineno', '?')}: {why}"
        )

    # statements -------------------------------------------------------------------------

    def run(self) -> None:
        body = self.func.body
        self.block(body)

    def block(self, statements: Iterable[ast.stmt]) -> None:
        for statement in statements:
            self.statement(statement)

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if isinstance(node, ast.FunctionDef):
                self.module.local_functions[id(self.func), node.name] = (node, self)
            return
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            value = node.value
            if value is None:
                return
            values = self.values(value)
            self.expression(value)
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    if values:
                        self.env[target.id] = values
                        for v in values:
                            if isinstance(v, ParamRef):
                                self.effects.setdefault(v.index, []).append(v)
                            elif isinstance(v, Query):
                                self.module.record(v)
                    else:
                        self.env.pop(target.id, None)
            return
        if isinstance(node, ast.For):
            names = self.iterable_strings(node.iter)
            if isinstance(node.target, ast.Name) and names is not None:
                self.loop_values[node.target.id] = names
            self.expression(node.iter)
            self.block(node.body)
            self.block(node.orelse)
            return
        if isinstance(node, ast.Return) and node.value is not None:
            for v in self.values(node.value):
                if isinstance(v, ParamRef):
                    self.effects.setdefault(v.index, []).append(v)
                elif isinstance(v, Query):
                    self.module.record(v)
            self.expression(node.value)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                self.statement(child)
            elif isinstance(child, ast.expr):
                self.expression(child)

    def expression(self, node: ast.expr) -> None:
        """Evaluate every outermost call chain inside ``node`` (tuples, arguments, ...)."""
        if isinstance(node, ast.Call):
            for value in self.values(node):
                if isinstance(value, Query):
                    self.module.record(value)
                elif isinstance(value, ParamRef):
                    self.effects.setdefault(value.index, []).append(value)
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                self.expression(arg)
            inner = node.func
            while isinstance(inner, ast.Attribute):
                inner = inner.value
                if isinstance(inner, ast.Call):
                    for arg in [*inner.args, *(k.value for k in inner.keywords)]:
                        self.expression(arg)
                    inner = inner.func
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expression(child)


class _ModuleAnalyser:
    def __init__(
        self, path: str, tree: ast.Module, db_constants: Mapping[str, Any], analysis: Analysis
    ):
        self.path = path
        self.tree = tree
        self.db_constants = db_constants
        self.constants = _constants(tree)
        self.analysis = analysis
        self.functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        self.local_functions: dict[tuple[int, str], tuple[ast.FunctionDef, Any]] = {}
        self._effects: dict[int, dict[int, list[ParamRef]] | None] = {}
        self._seen: set[tuple[str, str, tuple[Filter, ...], tuple[Any, ...]]] = set()

    def record(self, query: Query) -> None:
        key = (query.collection, query.scope, query.filters, query.orders)
        if key not in self._seen:
            self._seen.add(key)
            self.analysis.queries.append(query)

    def effects_of(self, name: str, caller: _FunctionAnalyser) -> dict[int, list[ParamRef]] | None:
        node = None
        local = self.local_functions.get((id(caller.func), name))
        if local is not None:
            node = local[0]
        elif name in self.functions:
            node = self.functions[name]
        if node is None:
            return None
        if id(node) not in self._effects:
            self._effects[id(node)] = None  # recursion guard
            analyser = _FunctionAnalyser(self, node, self.path)
            analyser.loop_values = dict(caller.loop_values)
            analyser.run()
            self._effects[id(node)] = analyser.effects or {
                i: [ParamRef(i)] for i in range(len(analyser.params))
            }
        return self._effects[id(node)]

    def run(self) -> None:
        _FunctionAnalyser(self, self.tree, self.path).run()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.FunctionDef):
                _FunctionAnalyser(self, node, self.path).run()


def analyse(source_root: Path) -> Analysis:
    """Every query in the Python files under ``source_root`` (functions/)."""
    analysis = Analysis()
    db_tree = ast.parse((source_root / "avmeets" / "db.py").read_text(encoding="utf-8"))
    db_constants = _constants(db_tree)
    for path in sorted(source_root.rglob("*.py")):
        relative = path.relative_to(source_root.parent)
        if any(
            part in ("venv", "build", "__pycache__") or part.endswith(".egg-info")
            for part in relative.parts
        ):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        _ModuleAnalyser(str(relative), tree, db_constants, analysis).run()
    return analysis


# --- matching against firestore.indexes.json ---------------------------------------------------


def _kind(f: Filter) -> str:
    if f.op in ARRAY_OPS:
        return "array"
    if f.op in EQUALITY_OPS:
        return "equality"
    if f.op in RANGE_OPS:
        return "range"
    return "unknown"


def needs_composite(query: Query) -> bool:
    if len(query.fields()) <= 1:
        return False
    return not (all(f.op == "==" for f in query.filters) and not query.orders)


def _single_field_ok(query: Query, overrides: Sequence[Mapping[str, Any]]) -> bool:
    """Every field of the query has a usable single-field index (one field, or merged ==)."""
    for name in query.fields():
        array = any(_kind(f) == "array" for f in query.filters if f.field == name)
        override = next(
            (
                o
                for o in overrides
                if o.get("collectionGroup") == query.collection and o.get("fieldPath") == name
            ),
            None,
        )
        if override is None:
            # Automatic single-field indexes exist for collection scope only.
            if query.scope != "COLLECTION":
                return False
            continue
        if not any(
            index.get("queryScope", "COLLECTION") == query.scope
            and (index.get("arrayConfig") == "CONTAINS" if array else bool(index.get("order")))
            for index in override.get("indexes", [])
        ):
            return False
    return True


def _composite_ok(query: Query, indexes: Sequence[Mapping[str, Any]]) -> bool:
    equality: dict[str, str] = {}
    for f in query.filters:
        kind = _kind(f)
        if kind == "equality":
            equality.setdefault(f.field, "ASCENDING")
        elif kind == "array":
            equality[f.field] = "CONTAINS"
    tail: list[tuple[str, str | None]] = [(o, d) for o, d in query.orders if o not in equality]
    for f in query.filters:
        if _kind(f) == "range" and f.field not in equality and f.field not in dict(tail):
            tail.append((f.field, None))  # any direction
    for index in indexes:
        if index.get("collectionGroup") != query.collection:
            continue
        if index.get("queryScope", "COLLECTION") != query.scope:
            continue
        fields = [f for f in index.get("fields", []) if f.get("fieldPath") != "__name__"]
        if len(fields) != len(equality) + len(tail):
            continue
        head, rest = fields[: len(equality)], fields[len(equality) :]
        head_ok = {f["fieldPath"]: f.get("arrayConfig") or "ASCENDING" for f in head} == {
            k: ("CONTAINS" if v == "CONTAINS" else "ASCENDING") for k, v in equality.items()
        } or {f["fieldPath"]: f.get("arrayConfig") or f.get("order") for f in head} == equality
        if not head_ok:
            continue
        if all(
            f.get("fieldPath") == name and (direction is None or f.get("order") == direction)
            for f, (name, direction) in zip(rest, tail, strict=True)
        ):
            return True
    return False


def missing_indexes(queries: Iterable[Query], spec: Mapping[str, Any]) -> list[Query]:
    """The queries ``firestore.indexes.json`` (``spec``) cannot serve."""
    indexes = spec.get("indexes", [])
    overrides = spec.get("fieldOverrides", [])
    missing = []
    for query in queries:
        if any(f.field == UNKNOWN for f in query.filters):
            continue
        ok = (
            _composite_ok(query, indexes)
            if needs_composite(query)
            else _single_field_ok(query, overrides)
        )
        if not ok:
            missing.append(query)
    return missing


def suggested_index(query: Query) -> dict[str, Any]:
    """The ``firestore.indexes.json`` entry that serves ``query``."""
    fields: list[dict[str, str]] = []
    seen: set[str] = set()
    for f in query.filters:
        if _kind(f) in ("equality", "array") and f.field not in seen:
            seen.add(f.field)
            key = "arrayConfig" if _kind(f) == "array" else "order"
            fields.append(
                {"fieldPath": f.field, key: "CONTAINS" if key == "arrayConfig" else "ASCENDING"}
            )
        else:
            continue
    for name, direction in query.orders:
        if name not in seen:
            seen.add(name)
            fields.append({"fieldPath": name, "order": direction})
    for f in query.filters:
        if f.field not in seen:
            seen.add(f.field)
            fields.append({"fieldPath": f.field, "order": "ASCENDING"})
    return {"collectionGroup": query.collection, "queryScope": query.scope, "fields": fields}


def check(source_root: Path, indexes_file: Path) -> tuple[Analysis, list[Query]]:
    analysis = analyse(source_root)
    spec = json.loads(indexes_file.read_text(encoding="utf-8"))
    return analysis, missing_indexes(analysis.queries, spec)


def main(argv: Sequence[str] | None = None) -> int:  # pragma: no cover - a debugging aid
    root = Path(argv[0] if argv else ".").resolve()
    analysis, missing = check(root / "functions", root / "firestore.indexes.json")
    for query in analysis.queries:
        print(("MISSING " if query in missing else "ok      ") + query.describe(), query.where)
    for line in analysis.unanalysable:
        print("?       " + line)
    return 1 if missing else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
