"""Which Firestore indexes the functions' queries need, derived from their source.

The emulator never enforces indexes, so a query without its composite index works in every test
and fails in production (FAILED_PRECONDITION). This reads ``functions/**/*.py`` with :mod:`ast`,
finds the query chains (``client().collection(names.CDRS).where(filter=FieldFilter(...))``),
follows them through local variables and through small helpers that add filters to a query they
are given (``_time_range(q, since, until)``), and checks each against ``firestore.indexes.json``
with Firestore's rules:

* a query on one field is served by the automatic single-field index (collection scope), unless
  a field override replaced that field's indexes; a collection-group query needs a field
  override with a ``COLLECTION_GROUP`` index on that field;
* a query whose filters are all ``==`` is served by merging single-field indexes;
* anything else (``in``, ``array-contains``, a range or an order on another field) needs a
  composite index: the equality and array fields first, in any order, then the range and order
  fields.

The purge's step queries are data, not chains: the pure planner says what each step queries
(``Plan.shapes()``) and ``purge/execute.py`` builds all of them in one function,
``planned_query``. Those queries are read from the planner itself, run at a fixed time in a
subprocess; a filter or order the executor adds to a planned query is reported.

Limits (conservative): a collection or field name must be a string,
a module-level constant of a module under ``functions/`` (``names.CDRS``, ``cdr_export.SIDES``,
an imported ``EXPIRING``), an f-string over those, or a variable over a constant tuple in a
``for`` loop; a query kept in a variable is checked as it stands there. Anything else is
reported as "not analysable", so a new pattern cannot slip through unseen.
"""

from __future__ import annotations

import ast
import itertools
import json
import os
import subprocess
import sys
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
#: The module and function that build the purge's queries from the plan's shapes, and the pure
#: planner that lists those shapes (paths relative to ``functions/``).
PLANNED_BUILDER: Final = ("avmeets/purge/execute.py", "planned_query")
PLANNER: Final = "avmeets/purge/plan.py"
#: Run with ``functions/`` as argv[1]: the shapes of a plan, as JSON. Settings and time change
#: the values a plan compares with, never its collections, fields or operators.
_PLANNER_SCRIPT: Final = """
import json, sys
from datetime import UTC, datetime
sys.path.insert(0, sys.argv[1])
from avmeets.purge.plan import make_plan
plan = make_plan(datetime(2000, 1, 1, tzinfo=UTC), max_stored_cdrs=1, meeting_idle_hours=1)
print(json.dumps([
    {"collection": s.collection, "group": s.group, "order": s.order,
     "descending": getattr(s, "descending", False),
     "where": None if s.where is None else [s.where.field, s.where.op]}
    for s in plan.shapes()
]))
"""


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


class Planned:
    """A query ``planned_query`` built from one of the plan's shapes (checked from the plan)."""


PLANNED: Final = Planned()


@dataclass
class Analysis:
    queries: list[Query] = field(default_factory=list)
    #: Code whose queries cannot be read (reported as notes).
    unanalysable: list[str] = field(default_factory=list)
    #: Queries that could not be checked at all (the planner failed): findings, not notes.
    errors: list[str] = field(default_factory=list)

    def note(self, line: str) -> None:
        if line not in self.unanalysable:
            self.unanalysable.append(line)


# --- reading the source -----------------------------------------------------------------------

_UNRESOLVED: Final = object()


class _Project:
    """The modules under ``functions/``, their imports and module-level constants."""

    def __init__(self, source_root: Path, paths: Sequence[Path]):
        self.trees: dict[str, ast.Module] = {}
        self.packages: set[str] = set()
        for path in paths:
            parts = list(path.relative_to(source_root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
                self.packages.add(".".join(parts))
            name = ".".join(parts)
            self.trees[name] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        self._imports: dict[str, dict[str, tuple[str, str | None]]] = {}
        self._constants: dict[str, dict[str, Any]] = {}

    def imports(self, module: str) -> dict[str, tuple[str, str | None]]:
        """Local name -> (module, None) for a module, (module, NAME) for a name imported from
        one, for the imports of ``module`` that point into the project."""
        if module in self._imports:
            return self._imports[module]
        found: dict[str, tuple[str, str | None]] = {}
        package = module if module in self.packages else module.rpartition(".")[0]
        for node in ast.walk(self.trees[module]):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname and alias.name in self.trees:
                        found[alias.asname] = (alias.name, None)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".") if package else []
                    base = base[: len(base) - (node.level - 1)]
                    origin = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    origin = node.module or ""
                for alias in node.names:
                    local = alias.asname or alias.name
                    submodule = f"{origin}.{alias.name}" if origin else alias.name
                    if submodule in self.trees:
                        found[local] = (submodule, None)
                    elif origin in self.trees:
                        found[local] = (origin, alias.name)
        self._imports[module] = found
        return found

    def constants(self, module: str) -> dict[str, Any]:
        """Module-level ``NAME = value`` whose value is a literal or built from constants."""
        if module in self._constants:
            return self._constants[module]
        found: dict[str, Any] = {}
        self._constants[module] = found  # a guard against import cycles
        for node in self.trees[module].body:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            if value is None:
                continue
            evaluated = self.evaluate(module, value)
            for target in targets:
                if isinstance(target, ast.Name) and evaluated is not _UNRESOLVED:
                    found[target.id] = evaluated
        return found

    def evaluate(self, module: str, node: ast.expr) -> Any:
        """The constant value of ``node`` in ``module``, or ``_UNRESOLVED``."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Tuple | ast.List):
            items = [self.evaluate(module, element) for element in node.elts]
            return _UNRESOLVED if _UNRESOLVED in items else tuple(items)
        if isinstance(node, ast.Name):
            value = self.constants(module).get(node.id, _UNRESOLVED)
            if value is not _UNRESOLVED:
                return value
            origin, name = self.imports(module).get(node.id, ("", None))
            if name is not None:
                return self.constants(origin).get(name, _UNRESOLVED)
            return _UNRESOLVED
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            origin, name = self.imports(module).get(node.value.id, ("", ""))
            if name is None:
                return self.constants(origin).get(node.attr, _UNRESOLVED)
        return _UNRESOLVED


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
        if isinstance(node, ast.Name) and node.id in self.loop_values:
            return self.loop_values[node.id]
        if isinstance(node, ast.Constant | ast.Name | ast.Attribute):
            value = self.module.constant(node)
            return [value] if isinstance(value, str) else None
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
        if isinstance(node, ast.Name | ast.Attribute):
            value = self.module.constant(node)
            if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
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
            if method == PLANNED_BUILDER[1]:
                return [PLANNED]
            receivers = self.values(func.value)
            if not receivers:
                return []
            if any(isinstance(r, Planned) for r in receivers):
                return self.refine_planned(node, method)
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
            if func.id == PLANNED_BUILDER[1]:
                return [PLANNED]
            return self.apply_helper(func.id, node)
        return []

    def refine_planned(self, node: ast.Call, method: str) -> list[Any]:
        """What the executor does with a planned query: paging and the document-id tiebreak
        keep it as planned; a filter or an order of its own would escape the plan's check."""
        if method in PASS_THROUGH:
            return [] if method in ("stream", "get", "count") else [PLANNED]
        if method == "order_by" and self.order(node) == ("__name__", "ASCENDING"):
            return [PLANNED]
        self.unknown(node, f"{method}() on a planned purge query: put it in the plan's Shape")
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
        """The filter(s) of a ``.where(...)`` call: one tuple per possible field name.

        ``where(filter=FieldFilter(field, op, value))`` or the older ``where(field, op, value)``,
        positional or by keyword (``field_path``, ``op_string``)."""
        call = node
        for keyword in node.keywords:
            if keyword.arg == "filter":
                value = keyword.value
                name = ast.unparse(value.func) if isinstance(value, ast.Call) else ""
                if not isinstance(value, ast.Call) or name.rpartition(".")[2] != "FieldFilter":
                    self.unknown(node, "a where() filter that is not a FieldFilter(...)")
                    return None
                call = value
        named = {k.arg: k.value for k in call.keywords if k.arg}
        args = [*call.args, named.get("field_path"), named.get("op_string")][:2]
        if len(call.args) == 1:
            args = [call.args[0], named.get("op_string")]
        field_node, op_node = args
        if field_node is None or op_node is None:
            self.unknown(node, "a where() this analysis cannot read")
            return None
        fields = self.strings(field_node)
        ops = self.strings(op_node)
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
        self.module.analysis.note(f"{self.path}:{getattr(node, 'lineno', '?')}: {why}")

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
    def __init__(self, path: str, project: _Project, module: str, analysis: Analysis):
        self.path = path
        self.project = project
        self.module = module
        self.tree = project.trees[module]
        self.analysis = analysis
        #: Whether this module holds the builder of the plan's queries (whose body is not read).
        self.builds_plan = path.endswith(PLANNED_BUILDER[0])
        self.functions = {n.name: n for n in self.tree.body if isinstance(n, ast.FunctionDef)}
        self.local_functions: dict[tuple[int, str], tuple[ast.FunctionDef, Any]] = {}
        self._effects: dict[int, dict[int, list[ParamRef]] | None] = {}
        self._seen: set[tuple[str, str, tuple[Filter, ...], tuple[Any, ...]]] = set()

    def constant(self, node: ast.expr) -> Any:
        value = self.project.evaluate(self.module, node)
        return None if value is _UNRESOLVED else value

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

    def run(self) -> bool:
        """Analyse every function; whether this module defines the planned-query builder."""
        _FunctionAnalyser(self, self.tree, self.path).run()
        builder = False
        for node in ast.walk(self.tree):
            if isinstance(node, ast.FunctionDef):
                if self.builds_plan and node.name == PLANNED_BUILDER[1]:
                    builder = True  # its queries are the plan's shapes, read from the planner
                    continue
                _FunctionAnalyser(self, node, self.path).run()
        return builder


def _sources(source_root: Path) -> list[Path]:
    return [
        path
        for path in sorted(source_root.rglob("*.py"))
        if not any(
            part in ("venv", "build", "__pycache__") or part.endswith(".egg-info")
            for part in path.relative_to(source_root).parts
        )
    ]


def planned_queries(source_root: Path) -> list[Query]:
    """The queries of the purge plan's shapes, from the pure planner in ``source_root``.

    Raises RuntimeError when the planner cannot be run or answers something else."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", _PLANNER_SCRIPT, str(source_root)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the purge planner ({PLANNER}) did not run: {last}")
    where = f"{source_root.name}/{PLANNER} (Plan.shapes)"
    out = []
    for shape in json.loads(result.stdout.strip().splitlines()[-1]):
        scope = "COLLECTION_GROUP" if shape["group"] else "COLLECTION"
        filters = () if shape["where"] is None else (Filter(*shape["where"]),)
        direction = "DESCENDING" if shape.get("descending") else "ASCENDING"
        orders = () if shape["order"] is None else ((shape["order"], direction),)
        out.append(Query(shape["collection"], scope, filters, orders, where=where))
    return out


def analyse(source_root: Path) -> Analysis:
    """Every query in the Python files under ``source_root`` (functions/)."""
    analysis = Analysis()
    paths = _sources(source_root)
    project = _Project(source_root, paths)
    builder = False
    for path in paths:
        relative = path.relative_to(source_root)
        parts = list(relative.with_suffix("").parts)
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        path_text = str(path.relative_to(source_root.parent))
        builder = _ModuleAnalyser(path_text, project, module, analysis).run() or builder
    if (source_root / PLANNED_BUILDER[0]).exists() and not builder:
        analysis.errors.append(
            f"{PLANNED_BUILDER[0]} has no {PLANNED_BUILDER[1]}(): the purge's queries are built "
            "somewhere this analysis does not know"
        )
    if (source_root / PLANNER).exists():
        try:
            seen = {(q.collection, q.scope, q.filters, q.orders) for q in analysis.queries}
            for query in planned_queries(source_root):
                if (query.collection, query.scope, query.filters, query.orders) not in seen:
                    analysis.queries.append(query)
        except (RuntimeError, subprocess.TimeoutExpired, ValueError, KeyError) as error:
            analysis.errors.append(str(error))
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
    for line in analysis.errors:
        print("ERROR   " + line)
    return 1 if missing or analysis.errors else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
