"""Stored SPARQL queries: one `.rq` file per question, with a `#+ key: value` header.

Header keys: summary, description, columns, lists (columns holding lists, joined in SPARQL with
GROUP_CONCAT(...; separator="|")), and one `param` line per parameter:

    #+ param: source source optional -- only this source (its id, e.g. s33)
    #+ param: polarity polarity default=+ values=++|+|o|-|--|+/- -- the impact to look for

A parameter NAME is the SPARQL variable ?_NAME (grlc's convention). Its value is type-checked, turned
into an RDF term (IRIs validated, literals escaped by the N-Triples writer) and bound by a VALUES block
placed at the top of the query's WHERE clause, the same way on the embedded store and on any endpoint;
user text is never pasted into the query.

>>> q = get("sources")
>>> q.name, q.columns[:3]
('sources', ['id', 'title', 'url'])
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gtkg.errors import ParameterError, QueryError
from gtkg.ontology import IMPACT_NOTATIONS, IMPACTS, IRI
from gtkg.terms import nt_term

QUERY_DIR = Path(__file__).parent
LIST_SEPARATOR = "|"
TYPES = ("string", "integer", "source", "code", "polarity", "iri")
POLARITIES = {notation: IMPACTS[name] for name, notation in IMPACT_NOTATIONS.items()}
PARAM_LINE = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?P<opts>.*?)(?:\s+--\s+(?P<doc>.*))?$")


@dataclass
class Param:
    name: str
    type: str
    required: bool = False
    default: str | None = None
    values: list = field(default_factory=list)
    description: str = ""


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
    return StoredQuery(path.stem, meta["summary"], meta.get("description", ""), split, lists, params, text, path)


def _parse_param(value: str, path: Path, line: int) -> Param:
    m = PARAM_LINE.match(value)
    if not m or m.group("type") not in TYPES:
        raise QueryError(f"{path}:{line}: cannot read the param line {value!r}; write "
                         f"'#+ param: NAME TYPE [required|optional|default=V] [values=a|b] -- description' "
                         f"with TYPE one of {', '.join(TYPES)}")
    param = Param(m.group("name"), m.group("type"), description=(m.group("doc") or "").strip())
    for option in m.group("opts").split():
        if option == "required":
            param.required = True
        elif option.startswith("default="):
            param.default = option[len("default="):]
        elif option.startswith("values="):
            param.values = option[len("values="):].split("|")
    return param


@cache
def catalogue() -> dict[str, StoredQuery]:
    """Every stored query by name, sorted."""
    return {p.stem: parse_header(p.read_text(encoding="utf-8"), p) for p in sorted(QUERY_DIR.glob("*.rq"))}


def get(name: str) -> StoredQuery:
    queries = catalogue()
    if name not in queries:
        close = [n for n in queries if name in n or n in name]
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
            raise ParameterError(f"parameter {param.name!r} must be a polarity ({', '.join(POLARITIES)}), "
                                 f"not {raw!r}")
        return POLARITIES[raw]
    if param.type == "iri":
        if not re.fullmatch(r"[A-Za-z][\w+.-]*:[^\s<>\"{}|\\^`]*", raw):
            raise ParameterError(f"parameter {param.name!r} must be an absolute IRI, not {raw!r}")
        return IRI(raw)
    return raw  # string, source id, code variable: plain literals


def run_query(name: str, params: dict | None = None, *, store=None, endpoint: str | None = None, **options):
    """Run a stored query by name; returns a Table whose list columns hold lists."""
    from gtkg.store import open_store

    query = get(name)
    bound = bind(query, params or {})
    backend = open_store(store, endpoint=endpoint, read_only=True, **options)
    try:
        table = backend.query(with_values(query.text, bound))
    finally:
        backend.close()
    return shape(query, table)


def with_values(text: str, bound: dict) -> str:
    """Bind variables by a VALUES block at the start of the top-level WHERE group.

    >>> print(with_values("SELECT ?x WHERE { ?x ?p ?_v }", {"_v": 'a" } UNION { ?s ?p ?o'}))
    SELECT ?x WHERE {
      VALUES (?_v) { ("a\\" } UNION { ?s ?p ?o") }
     ?x ?p ?_v }
    """
    if not bound:
        return text
    m = re.search(r"\bWHERE\s*\{", _strip_comments(text), re.IGNORECASE)
    if m is None:
        raise QueryError("a query with parameters needs a 'WHERE {' clause to bind them in")
    names = " ".join(f"?{name}" for name in bound)
    terms = " ".join(nt_term(value) for value in bound.values())
    return f"{text[: m.end()]}\n  VALUES ({names}) {{ ({terms}) }}\n{text[m.end():]}"


def _strip_comments(text: str) -> str:
    """Blank out comment lines (keeping offsets) so a WHERE in the header is not matched."""
    return re.sub(r"(?m)^\s*#.*$", lambda m: " " * len(m.group(0)), text)


def shape(query: StoredQuery, table):
    """Order columns as declared and split list columns."""
    indexes = [table.columns.index(c) for c in query.columns if c in table.columns]
    extra = [i for i, c in enumerate(table.columns) if c not in query.columns]
    columns = [table.columns[i] for i in indexes + extra]
    rows = []
    for row in table.rows:
        values = [row[i] for i in indexes + extra]
        for position, column in enumerate(columns):
            if column in query.lists:
                text = values[position]
                values[position] = [v for v in str(text).split(LIST_SEPARATOR) if v] if text else []
        rows.append(values)
    table.columns, table.rows = columns, rows
    return table
