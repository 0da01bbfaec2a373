"""Stored SPARQL queries: one `.rq` file per question, with a `#+ key: value` header.

Header keys: summary, description, columns, lists (columns holding lists, joined in SPARQL with
GROUP_CONCAT(...; separator="|"); empty items are dropped), joined (text columns that may hold several values,
joined in SPARQL with GROUP_CONCAT(...; separator="\u001F"): gtkg shows them sorted, joined by " / ", since
engines join in orders of their own), sort (how list items are ordered, e.g.
`sources natural`: SPARQL leaves the order inside GROUP_CONCAT open), order (how rows are ordered, e.g.
`source natural, count desc`; sorting in Python is much faster than ORDER BY on strings in the embedded
store, and gives the study's natural order of source ids), firsts (e.g. `codes -> new_codes, new, total`: in
the rows' order, each row's list `codes` becomes the items no earlier row holds, their number and the running
number of distinct items; a saturation curve, which SPARQL can only compute by comparing every row with every
earlier one), pairs (e.g. `sources, excerpts -> count, quotes`: the query answers one row per code, its IRI ?c,
?code, ?label and two lists of IRIs; gtkg answers the pairs of codes whose first lists share at least the bound
?_minimum items (2 when unbound), each pair once, never two IRIs of one variable, as the columns code, label,
other, other_label (code before other by variable, a label falling back to the variable), the number of shared
items and of items shared in the second lists; co-occurrence, a self-join and grouping SPARQL engines do slowly
and Virtuoso refuses on large studies), and one `param` line per parameter:

    #+ param: source source optional -- only this source (its id, e.g. s33)
    #+ param: polarity polarity default=+ values=++|+|o|-|--|+/- -- the impact to look for

A parameter NAME is the SPARQL variable ?_NAME (grlc's convention). Its value is type-checked, turned
into an RDF term (IRIs validated, literals escaped by the N-Triples writer) and bound by a VALUES block
placed at the top of every WHERE clause of each (sub)query that names it (a subquery does not see its outer
query's variables, so it gets its own block), the same way on the embedded store and on any endpoint; user
text is never pasted into the query. Write `WHERE` before every group that may use a parameter.

Most queries take `scope` (auto, model, notes, all): whose statements count, read from the named graph of
each file (its gt:format). auto is the model files when any are loaded, so the paper's tables come out as
executing the model gives them, and all files otherwise; trace-vs-model compares the two. gtkg works the
scope out once per query, in Python (graphs_in_scope: one small query for the files of a format), and binds
?_scope to the graphs in scope, one VALUES row each; for all it leaves ?_scope unbound. A query reads what
counts with `GRAPH ?_scope { ... }` in a subquery that keeps each answer once (GROUP BY, or an aggregate
that ignores repeats), so a statement made in several files counts once. Run alone in any SPARQL editor,
over the union of the graphs, a stored query therefore answers for scope all.

Labels are the model's where it declares the code, else the smallest of the others (the notes', an RDF
file's), else the variable. They do not depend on the scope, and every query computes them with one form,
a subquery per role joined by hash (a `gt:Force` or `gt:Decision` in the pattern takes labels only where the
code has that kind):

    OPTIONAL { { SELECT ?c (SUBSTR(MIN(CONCAT(COALESCE(?model, "1"), ?l)), 2) AS ?label_) WHERE {  # its label
        GRAPH ?g { ?c rdfs:label ?l }
        OPTIONAL { { SELECT ?g ("0" AS ?model) WHERE { GRAPH ?g { ?g gt:format "model" } } } }  # the model's first
    } GROUP BY ?c } }

Writing queries for the embedded store: a lookup per row costs microseconds and turning an IRI into a string
(STR, comparisons) costs a dictionary read, while scanning one pattern is cheap. So the queries join small
subqueries (which the engine evaluates once and joins by hash), compare IRIs with sameTerm, project strings
rather than IRIs, and leave row order to `#+ order:`. The engine joins by hash only on variables it knows are
bound: a computed value (BIND, an aggregate) used as a join key is wrapped in COALESCE(..., constant), else the
join compares every pair of rows. The graphs in scope come as a subquery, so `GRAPH ?_scope { pattern }` is
joined to them by hash too; several scans of statements in scope, each a subquery that selects ?_scope
(`{ SELECT ?_scope ?link ?o WHERE { GRAPH ?_scope { ?link gt:option ?o } } }`), share the binding of the query
around them (see with_values). bench/queries.py --base times a rewritten query beside the old one, and
bench/query_answers.py checks that it still gives every answer it gave.

Every server must give the same answers (tests/test_same_results.py runs every query on Oxigraph and Virtuoso
too). Virtuoso 7.2 answers some forms wrongly, so the queries avoid them: a subquery drops repeats with
`GROUP BY ?a ?b`, never `SELECT DISTINCT` (around DISTINCT subqueries it loses rows of large joins, and GROUP
BY costs the embedded store the same); where it still lost rows of a large join (code-evidence and codes on a
study of 100 sources) the subquery also computes an aggregate: `HAVING (COUNT(*) > 0)`, always true, or the list
it makes with GROUP_CONCAT(DISTINCT ...). Without one, Virtuoso may run the subquery as a lookup per row of the
join around it (a `Distinct (set_no, ...)` in its plan, `explain('sparql ...')`) that loses some of the rows;
with one it groups them, and the embedded store pays the same. Strings that come from stored literals through
an aggregate or REPLACE are compared or sorted as STR(...) (it compares MIN("notes") with "notes" as unequal, and
orders such values in its own way); no COALESCE around an aggregate that joins (SQ156 compiler error); no
property path with * inside EXISTS (it finds nothing); and a comparison between the rows of two subqueries goes
in a FILTER around the subquery that pairs them. A row's order never comes from GROUP_CONCAT: several values of
one text column are joined with \u001F and sorted by `#+ joined:`.

>>> q = get("sources")
>>> q.name, q.columns[:3]
('sources', ['id', 'title', 'url'])
"""

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from gtkg.errors import ParameterError, QueryError
from gtkg.nquads import nt_term
from gtkg.ontology import GT, IMPACT_NOTATIONS, IMPACTS, IRI, KINDS
from gtkg.table import cell

QUERY_DIR = Path(__file__).parent
LIST_SEPARATOR = "|"
JOINED_SEPARATOR, JOINED_SHOWN = "\x1f", " / "  # a `joined` column's values, in SPARQL and as shown
TYPES = ("string", "integer", "source", "code", "kind", "polarity", "iri")
POLARITIES = {notation: IMPACTS[name] for name, notation in IMPACT_NOTATIONS.items()}
POLARITY_WORDS = {name: notation for name, notation in IMPACT_NOTATIONS.items()}  # as the model files write them
SORTS = ("natural",)
ORDERS = ("natural", "desc")  # desc: numbers, largest first
PARAM_LINE = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?P<opts>.*?)(?:\s+--\s+(?P<doc>.*))?$")


@dataclass
class Param:
    name: str
    type: str
    required: bool = False
    default: str | None = None
    values: list = field(default_factory=list)
    description: str = ""
    kind: str | None = None  # a code parameter's kind (a key of gtkg.ontology.KINDS): only codes of that kind


@dataclass
class StoredQuery:
    name: str
    summary: str
    description: str
    columns: list
    lists: list
    params: list
    text: str
    path: Path
    sort: dict = field(default_factory=dict)  # list column -> how its items are ordered
    order: list = field(default_factory=list)  # (column, natural|desc): how rows are ordered
    joined: list = field(default_factory=list)  # text columns of several values, sorted and shown with " / "
    empty: str = ""  # why a query may answer no rows, with {param} for the values given (`#+ empty:`)
    firsts: tuple = ()  # (list column the query selects, new items, their count, running count) of `#+ firsts:`
    pairs: tuple = ()  # (two list columns the query selects, shared items of the first, of the second) of `#+ pairs:`


def parse_header(text: str, path: Path) -> StoredQuery:
    meta: dict[str, str] = {}
    params = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#+"):
            continue
        key, _, value = line[2:].partition(":")
        key, value = key.strip(), value.strip()
        if key == "param":
            params.append(_parse_param(value, path, number))
        else:
            meta[key] = (meta[key] + " " + value) if key in meta else value
    for required in ("summary", "columns"):
        if required not in meta:
            raise QueryError(f"{path}: the header has no '#+ {required}:' line; add one")
    split = [c.strip() for c in meta["columns"].split(",") if c.strip()]
    lists = [c.strip() for c in meta.get("lists", "").split(",") if c.strip()]
    sort = _parse_sort(meta.get("sort", ""), lists, path)
    order = _parse_order(meta.get("order", ""), split, path)
    joined = [c.strip() for c in meta.get("joined", "").split(",") if c.strip()]
    if unknown := [c for c in joined if c not in split]:
        raise QueryError(f"{path}: '#+ joined:' names {unknown[0]!r}, which is not a column of '#+ columns:'")
    return StoredQuery(path.stem, meta["summary"], meta.get("description", ""), split, lists, params, text, path,
                       sort, order, empty=meta.get("empty", ""), joined=joined,
                       firsts=_parse_firsts(meta.get("firsts", ""), split, lists, path),
                       pairs=_parse_pairs(meta.get("pairs", ""), split, path))


def _parse_firsts(value: str, columns: list, lists: list, path: Path) -> tuple:
    if not value:
        return ()
    m = re.fullmatch(r"(\w+)\s*->\s*(\w+)\s*,\s*(\w+)\s*,\s*(\w+)", value)
    if not m or m.group(1) in columns or m.group(2) not in lists or not {m.group(3), m.group(4)} <= set(columns):
        raise QueryError(f"{path}: cannot read '#+ firsts: {value}'; write '#+ firsts: ITEMS -> NEW, COUNT, TOTAL' "
                         "with ITEMS a list the query selects besides its columns, NEW a column of '#+ lists:', "
                         "COUNT and TOTAL columns of '#+ columns:'")
    return m.groups()


PAIRED = ("code", "label", "other", "other_label")  # the columns `#+ pairs:` names the two codes of a pair by


def _parse_pairs(value: str, columns: list, path: Path) -> tuple:
    if not value:
        return ()
    m = re.fullmatch(r"(\w+)\s*,\s*(\w+)\s*->\s*(\w+)\s*,\s*(\w+)", value)
    if (not m or {m.group(1), m.group(2)} & set(columns) or not {m.group(3), m.group(4), *PAIRED} <= set(columns)
            or len(set(m.groups())) < 4):
        raise QueryError(f"{path}: cannot read '#+ pairs: {value}'; write '#+ pairs: SOURCES, EXCERPTS -> COUNT, "
                         f"QUOTES' with SOURCES and EXCERPTS lists the query selects besides its columns, COUNT and "
                         f"QUOTES columns of '#+ columns:', which must also hold {', '.join(PAIRED)}")
    return m.groups()


def _parse_sort(value: str, lists: list, path: Path) -> dict:
    sort = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        column, _, how = item.partition(" ")
        if column not in lists or how.strip() not in SORTS:
            raise QueryError(f"{path}: cannot read '#+ sort: {item}'; write '#+ sort: COLUMN natural' for a "
                             f"column of '#+ lists:' ({', '.join(lists) or 'none declared'})")
        sort[column] = how.strip()
    return sort


def _parse_order(value: str, columns: list, path: Path) -> list:
    order = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        column, _, how = item.partition(" ")
        how = how.strip() or "natural"
        if column not in columns or how not in ORDERS:
            raise QueryError(f"{path}: cannot read '#+ order: {item}'; write '#+ order: COLUMN [natural|desc], ...' "
                             f"with columns of '#+ columns:'")
        order.append((column, how))
    return order


def _parse_param(value: str, path: Path, line: int) -> Param:
    m = PARAM_LINE.match(value)
    if not m or m.group("type") not in TYPES:
        raise QueryError(f"{path}:{line}: cannot read the param line {value!r}; write "
                         f"'#+ param: NAME TYPE [required|optional|default=V] [values=a|b] -- description' "
                         f"with TYPE one of {', '.join(TYPES)}")
    param = Param(m.group("name"), m.group("type"), description=(m.group("doc") or "").strip())
    for option in m.group("opts").split():
        if option == "optional":
            continue
        if option == "required":
            param.required = True
        elif option.startswith("default="):
            param.default = option[len("default="):]
        elif option.startswith("values="):
            param.values = option[len("values="):].split("|")
        elif option.startswith("kind=") and option[5:] in KINDS:
            param.kind = option[5:]
        else:
            raise QueryError(f"{path}:{line}: cannot read {option!r} in the param line; write required, optional, "
                             "default=V, values=a|b or kind=KIND")
    return param


@cache
def catalogue() -> dict[str, StoredQuery]:
    """Every stored query by name, sorted."""
    return {p.stem: parse_header(p.read_text(encoding="utf-8"), p) for p in sorted(QUERY_DIR.glob("*.rq"))}


def describe(query: StoredQuery) -> dict:
    """Everything the header says about a query, as plain data (what `gtkg queries NAME -f json` prints)."""
    return {
        "name": query.name, "summary": query.summary, "description": query.description,
        "columns": query.columns, "lists": query.lists, "order": [f"{c} {how}" for c, how in query.order],
        "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                    "values": p.values, "kind": p.kind, "description": p.description} for p in query.params],
    }


def why_empty(name: str, params: dict | None = None) -> str | None:
    """What a query's header says an empty answer means, with the parameters given (or their defaults)."""
    query = get(name)
    if not query.empty:
        return None
    given = {p.name: (params or {}).get(p.name, p.default) or "any" for p in query.params}
    return query.empty.format(**given)


def get(name: str) -> StoredQuery:
    queries = catalogue()
    if name not in queries:
        from difflib import get_close_matches

        close = sorted({n for n in queries if name in n or n in name} | set(get_close_matches(name, queries)))
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise QueryError(f"no stored query named {name!r}.{hint} 'gtkg queries' lists them all")
    return queries[name]


def bind(query: StoredQuery, params: dict[str, str]) -> dict:
    """Check the given parameters against the declared ones; returns variable -> typed value."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise ParameterError(f"query {query.name!r} has no parameter {unknown[0]!r} (it takes: {accepted})")
    bound = {}
    for param in query.params:
        raw = params.get(param.name, param.default)
        if raw is None:
            if param.required:
                raise ParameterError(f"query {query.name!r} needs parameter {param.name!r} ({param.type}): "
                                     f"add -p {param.name} VALUE")
            continue
        bound["_" + param.name] = _typed(query, param, str(raw))
    return bound


def _typed(query: StoredQuery, param: Param, raw: str):
    from gtkg.store.sparql_text import utf8

    utf8(raw, f"parameter {param.name!r}")
    if param.type == "polarity":
        raw = POLARITY_WORDS.get(raw.strip().lower(), raw.strip())
    if param.values and raw not in param.values:
        raise ParameterError(f"parameter {param.name!r} of {query.name!r} must be one of "
                             f"{', '.join(param.values)}, not {raw!r}")
    if param.type == "integer":
        try:
            return int(raw)
        except ValueError:
            raise ParameterError(f"parameter {param.name!r} of {query.name!r} must be an integer, "
                                 f"not {raw!r}") from None
    if param.type == "polarity":
        if raw not in POLARITIES:
            raise ParameterError(f"parameter {param.name!r} must be a polarity ({', '.join(POLARITIES)}, or as "
                                 f"the model files write them: {', '.join(POLARITY_WORDS)}), not {raw!r}")
        return POLARITIES[raw]
    if param.type == "kind":
        if raw not in KINDS:
            raise ParameterError(f"parameter {param.name!r} must be a kind of code ({', '.join(sorted(KINDS))}), "
                                 f"not {raw!r}")
        return KINDS[raw]
    if param.type == "iri":
        if not re.fullmatch(r"[A-Za-z][\w+.-]*:[^\s<>\"{}|\\^`]*", raw):
            raise ParameterError(f"parameter {param.name!r} must be an absolute IRI, not {raw!r}")
        return IRI(raw)
    return raw  # string, source id, code variable: plain literals


def run_query(name: str, params: dict | None = None, *, store=None, timeout: float | None = None):
    """Run a stored query by name; returns a Table whose list columns hold lists.

    `store` is a folder, an endpoint URL, or a store opened earlier (gtkg.store.open_store) to run several
    queries on without opening it each time. `timeout` (seconds) raises QueryTimeoutError when the query runs
    longer.
    """
    from gtkg.store import using

    query = get(name)
    bound = bind(query, params or {})
    with using(store, read_only=True) as backend:
        return _answer(query, bound, backend, timeout)


def _answer(query: StoredQuery, bound: dict, backend, timeout: float | None):
    for param in query.params:
        if "_" + param.name in bound and param.type in ("source", "code"):
            bound["_" + param.name] = _named(query, param, bound["_" + param.name], backend, timeout)
    if "_scope" in bound:
        graphs = graphs_in_scope(backend, bound.pop("_scope"), timeout=timeout)
        if graphs is not None:
            bound["_scope"] = graphs
    return shape(query, backend.query(with_values(query.text, bound), timeout=timeout), bound)


_SOURCE_IDS = ("SELECT DISTINCT ?name WHERE { ?s a <https://w3id.org/gtkg/ontology#Source> ; "
               "<http://purl.org/dc/terms/identifier> ?name }")
_CODE_NAMES = ("SELECT DISTINCT ?name ?label WHERE {{ ?c a <{kind}> ; <https://w3id.org/gtkg/ontology#variable> ?name "
               "OPTIONAL {{ ?c <http://www.w3.org/2000/01/rdf-schema#label> ?label }} }}")


def _named(query: StoredQuery, param: Param, value: str, backend, timeout: float | None) -> str:
    """The source id or code variable a parameter names, checked against the store: a code may also be given
    by its label. A value that names nothing is an error with the closest names."""
    from difflib import get_close_matches

    if param.type == "source":
        rows, what = backend.query(_SOURCE_IDS, timeout=timeout).rows, "source"
    else:
        kind = KINDS[param.kind] if param.kind else GT.Code
        rows = backend.query(_CODE_NAMES.format(kind=kind), timeout=timeout).rows
        what = param.kind.replace("_", " ") if param.kind else "code"
    names = {row[0] for row in rows}
    if value in names:
        return value
    by_label = sorted({row[0] for row in rows if row[-1] and str(row[-1]).casefold() == value.casefold()})
    if len(by_label) == 1 and param.type == "code":
        return by_label[0]
    if len(by_label) > 1:
        raise ParameterError(f"parameter {param.name!r}: the label {value!r} names several codes "
                             f"({', '.join(by_label)}); give the variable")
    named = {name: name for name in names}  # a text one may mean -> the name it stands for
    named.update({str(row[-1]): row[0] for row in rows if param.type == "code" and row[-1]} | named)
    close = get_close_matches(value, named, n=6, cutoff=0.6) or sorted(
        text for text in named if value.casefold() in text.casefold())[:6]
    meant = sorted(dict.fromkeys(named[text] for text in close), key=natural_key)[:4]
    hint = f"; did you mean {', '.join(meant)}?" if meant else ""
    listing = "'gtkg query sources' lists them" if param.type == "source" else "'gtkg query codes' lists them"
    raise ParameterError(f"parameter {param.name!r} of {query.name!r}: no {what} {value!r} in the store{hint} "
                         f"({listing})")


SCOPES = ("auto", "model", "notes", "all")
_FILES_OF_FORMAT = "SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g <https://w3id.org/gtkg/ontology#format> {} }} }}"


def graphs_in_scope(backend, scope: str, *, timeout: float | None = None) -> list | None:
    """The graphs whose statements count under `scope` (see the module docstring), sorted; None for every graph.

    One small query on the open backend lists the files of the format asked for (none for "all"); auto asks
    for the model files only, a lookup however many notes there are.
    """
    if scope not in SCOPES:
        raise ParameterError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    if scope == "all":
        return None
    sparql = _FILES_OF_FORMAT.format(nt_term("model" if scope == "auto" else scope))
    graphs = sorted(IRI(row[0]) for row in backend.query(sparql, timeout=timeout).rows)
    return None if scope == "auto" and not graphs else graphs


def with_values(text: str, bound: dict) -> str:
    """Bind variables by VALUES blocks at the start of every WHERE group of each (sub)query that names them.

    A (sub)query names a variable when it does so outside its own subqueries; the others cannot see it, so
    they are left alone (a VALUES block there would join its rows to every solution of the group: time on
    large groups, and as many copies of each solution as a list has items). A subquery that selects the
    variable (`{ SELECT ?_scope ?x WHERE ...`) hands it to the (sub)query around it, which binds it once for
    all such subqueries. A list binds one row per item (see _values_block).

    >>> print(with_values("SELECT ?x WHERE { ?x ?p ?_v }", {"_v": 'a" } UNION { ?s ?p ?o'}))
    SELECT ?x WHERE {
      VALUES (?_v) { ("a\\" } UNION { ?s ?p ?o") }
     ?x ?p ?_v }
    >>> print(with_values("SELECT ?x WHERE { { SELECT ?_g ?x WHERE { GRAPH ?_g { ?x ?p ?o } } } }",
    ...                   {"_g": [IRI("urn:a"), IRI("urn:b")]}))
    SELECT ?x WHERE {
      { SELECT ?_g WHERE { VALUES ?_g { <urn:a> <urn:b> } } }
     { SELECT ?_g ?x WHERE { GRAPH ?_g { ?x ?p ?o } } } }
    """
    if not bound:
        return text
    queries = [_Query()]  # the query, then each { SELECT ... } group in order of appearance
    opened = []  # for each open brace: the subquery it opens, or None
    inside = [queries[0]]  # the (sub)queries around the current position, innermost last
    for m in _TOKENS.finditer(text):
        kind, query = m.lastgroup, inside[-1]
        if kind == "where":
            query.wheres.append(m.end())
            opened.append(None)
        elif kind == "subquery":
            queries.append(_Query(parent=query))
            inside.append(queries[-1])
            opened.append(queries[-1])
        elif kind == "open":
            opened.append(None)
        elif kind == "close":
            if opened and opened.pop() is not None:
                inside.pop()
        elif kind in ("paren", "unparen"):
            query.depth += 1 if kind == "paren" else -1
        elif kind == "var" and m.group()[1:] in bound:
            selected = query.parent is not None and not query.wheres and query.depth == 0
            (query.selects if selected else query.uses).add(m.group()[1:])
    if not any(q.wheres for q in queries):
        raise QueryError("a query with parameters needs a 'WHERE {' clause to bind them in")
    for query in reversed(queries):  # innermost first, so that a variable selected at every level goes up
        if query.parent is not None:
            query.uses -= query.selects
            query.parent.uses |= query.selects
    blocks = sorted((end, _values_block(q.uses, bound)) for q in queries if q.uses for end in q.wheres)
    pieces, last = [], 0
    for end, block in blocks:
        pieces += [text[last:end], block]
        last = end
    return "".join(pieces) + text[last:]


def _values_block(names: set, bound: dict) -> str:
    """One VALUES row for the variables bound to one value; for each variable bound to a list, a subquery of
    its VALUES, one row per item. The engine joins a subquery by hash, as it joined the scope when the queries
    worked it out themselves; a bare VALUES block of a thousand graphs has it look each pattern up graph by
    graph instead (three times slower on a study of a thousand notes)."""
    single = [name for name in bound if name in names and not isinstance(bound[name], list)]
    lists = [name for name in bound if name in names and isinstance(bound[name], list)]
    lines = []
    if single:
        variables = " ".join(f"?{name}" for name in single)
        lines.append(f"VALUES ({variables}) {{ ({' '.join(nt_term(bound[name]) for name in single)}) }}")
    for name in lists:
        items = " ".join(nt_term(value) for value in bound[name])
        lines.append(f"{{ SELECT ?{name} WHERE {{ VALUES ?{name} {{ {items} }} }} }}")
    return "".join(f"\n  {line}" for line in lines) + "\n"


@dataclass
class _Query:
    parent: "_Query | None" = None  # the (sub)query around it
    uses: set = field(default_factory=set)  # the bound variables it names (and binds)
    selects: set = field(default_factory=set)  # those it selects as they are (a subquery: its parent binds them)
    wheres: list = field(default_factory=list)  # where its WHERE groups open
    depth: int = 0  # parentheses open in its SELECT clause: a variable in an expression is not selected as it is


# Strings, IRIs and comments are matched first so that a WHERE, a brace or a variable inside them is skipped.
_TOKENS = re.compile(r"""
    (?P<string>"{3}.*?"{3}|'{3}.*?'{3}|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n]*)
  | (?P<where>\bWHERE\s*\{)
  | (?P<subquery>\{\s*SELECT\b)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<paren>\()
  | (?P<unparen>\))
  | (?P<var>[?$]\w+)
""", re.IGNORECASE | re.DOTALL | re.VERBOSE)


def shape(query: StoredQuery, table, bound: dict | None = None):
    """Order columns as declared, split list columns (dropping empty items), sort lists and rows as declared.

    `bound` are the parameters the query ran with (bind's answer; by default the declared defaults)."""
    if query.firsts:
        _first_items(query, table)
    if query.pairs:
        _pairs(query, table, (bind(query, {}) if bound is None else bound).get("_minimum", 2))
    indexes = [table.columns.index(c) for c in query.columns if c in table.columns]
    extra = [i for i, c in enumerate(table.columns) if c not in query.columns]
    picks = indexes + extra
    columns = [table.columns[i] for i in picks]
    lists = [(position, query.sort.get(column)) for position, column in enumerate(columns) if column in query.lists]
    if picks == list(range(len(table.columns))):
        rows = [list(row) for row in table.rows]
    else:
        rows = [[row[i] for i in picks] for row in table.rows]
    for position, sort in lists:
        for values in rows:
            items = _items(values[position])
            values[position] = sorted(items, key=natural_key) if sort == "natural" else items
    for position in [position for position, column in enumerate(columns) if column in query.joined]:
        for values in rows:
            if isinstance(values[position], str) and JOINED_SEPARATOR in values[position]:
                values[position] = JOINED_SHOWN.join(sorted(values[position].split(JOINED_SEPARATOR), key=natural_key))
    if query.order:
        rows = _sorted_rows(rows, [(columns.index(column), how) for column, how in query.order])
    table.columns, table.rows = columns, rows
    return table


def _first_items(query: StoredQuery, table) -> None:
    """`#+ firsts: ITEMS -> NEW, COUNT, TOTAL`: rows in the declared order, ITEMS replaced by the three columns."""
    items, new, count, total = query.firsts
    at = table.columns.index(items)
    rows = _sorted_rows(table.rows, [(table.columns.index(column), how) for column, how in query.order])
    seen, shaped = set(), []
    for row in rows:
        found = [item for item in dict.fromkeys(_items(row[at])) if item not in seen]
        seen.update(found)
        shaped.append([*row[:at], *row[at + 1:], LIST_SEPARATOR.join(found), len(found), len(seen)])
    table.columns = [*table.columns[:at], *table.columns[at + 1:], new, count, total]
    table.rows = shaped


def _pairs(query: StoredQuery, table, minimum: int) -> None:
    """`#+ pairs: SOURCES, EXCERPTS -> COUNT, QUOTES`: one row per code becomes one row per pair of codes (by IRI)
    sharing at least `minimum` SOURCES, as the declared columns. The codes are numbered and each source lists
    the codes it holds in that order; a code's partners later in the order are counted over its sources (one
    Counter per code rather than one of every pair), and the EXCERPTS both hold only for the pairs kept."""
    sources, excerpts, count, quotes = query.pairs
    at = {column: i for i, column in enumerate(table.columns)}
    codes = {}  # IRI -> (its variables, label, sources, excerpts)
    for row in table.rows:
        iri = row[at["c"]]
        if iri not in codes:
            codes[iri] = ([], row[at["label"]], set(_items(row[at[sources]])), set(_items(row[at[excerpts]])))
        codes[iri][0].append(row[at["code"]])  # a row per variable: one, unless the store is invalid
    found = list(codes.values())
    holders = {}  # source -> the numbers of the codes it holds, ascending
    for number, (_, _, held, _) in enumerate(found):
        for source in held:
            holders.setdefault(source, []).append(number)
    rows = []
    for number, (variables, label, held, quoted) in enumerate(found):
        shared = Counter()
        for source in held:
            after = holders[source]
            shared.update(after[bisect_right(after, number):])
        for partner, n in shared.items():
            if n >= minimum:
                rows += _pair_rows((variables, label), found[partner], n, len(quoted & found[partner][3]))
    table.columns = [*PAIRED, count, quotes]
    table.rows = rows


def _pair_rows(code: tuple, other: tuple, count: int, quotes: int) -> list:
    """The rows of a pair of codes, (variables, label) each: code before other by variable, a label falling back
    to the variable, never a code with itself (two IRIs of one variable)."""
    rows = []
    for va in code[0]:
        for vb in other[0]:
            if va != vb:
                (first, label), (second, other_label) = sorted([(va, code[1]), (vb, other[1])], key=lambda p: p[0])
                rows.append([first, first if label is None else label, second,
                             second if other_label is None else other_label, count, quotes])
    return rows


def _items(text) -> list:
    """The items of a list the query joined with LIST_SEPARATOR, in order, empty ones dropped."""
    return [item for item in str(text).split(LIST_SEPARATOR) if item] if text else []


def _sorted_rows(rows: list, order: list) -> list:
    """Rows stably sorted by the (column, natural|desc) keys: natural compares natural_key(cell(value)), desc
    numbers largest first. Each column's distinct texts are ranked once, so the sort compares small integers."""
    keys = []
    for i, how in order:
        if how == "desc":
            keys.append([-(row[i] or 0) for row in rows])
            continue
        texts = [cell(row[i]) for row in rows]
        ranks, rank, previous = {}, -1, None
        for text in sorted(set(texts), key=natural_key):
            key = natural_key(text)
            if key != previous:  # texts with equal keys (e.g. differing in case only) tie, as in one sort
                rank, previous = rank + 1, key
            ranks[text] = rank
        keys.append([ranks[text] for text in texts])
    row_keys = list(zip(*keys, strict=True))
    return [rows[j] for j in sorted(range(len(rows)), key=row_keys.__getitem__)]


_SOURCE_ID = re.compile(r"([A-Za-z]+)(\d+)")
_ID_PREFIXES = {"s": 0, "p": 1}  # literature sources, then interviews


@lru_cache(maxsize=1 << 16)  # tables repeat the same ids and labels many times
def natural_key(text: str) -> tuple:
    """Sort key of the study's natural order: source ids s1, s2, ..., s10, then p1, ...; other text
    case-insensitively with numbers by value.

    >>> sorted(["s10", "p1", "s2", "Force 10", "force 9"], key=natural_key)
    ['s2', 's10', 'p1', 'force 9', 'Force 10']
    """
    m = _SOURCE_ID.fullmatch(text)
    if m:
        return 0, _ID_PREFIXES.get(m.group(1), 2), m.group(1), int(m.group(2)), ()
    parts = tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text))
    return 1, 0, "", 0, parts
