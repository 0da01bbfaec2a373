"""What gtkg knows of the SPARQL servers people deploy: where each puts its update and Graph Store Protocol
URLs, how it names itself in its answers, and the limits it sets on one request.

The server of an endpoint is its `server` setting in endpoints.toml, else what its first answer says (the
`Server` header; Fuseki's `Fuseki-Request-Id`), else unknown: then the URLs follow the first convention the
query URL fits (`/query` as Oxigraph, `/sparql` as Fuseki, `/repositories/ID` as GraphDB).
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Server:
    name: str
    # query URL (a regular expression, its group 1 the root) -> update URL, Graph Store Protocol URL
    urls: tuple[tuple[str, str, str], ...]
    update_triples: int = 50_000  # triples per INSERT DATA when uploading by SPARQL Update
    atomic_updates: bool = True  # one update request runs as one transaction (SPARQL 1.1 Update asks for it)
    basic_up_front: bool = True  # credentials go by Basic authentication with the first request
    fast_move: bool = True  # MOVE renames a graph (not: copies it triple by triple)
    # queries over gtkg's merged graph as the default graph answer as over the union of the study's graphs
    merged_graph: bool = True


SERVERS = {server.name: server for server in (
    # Virtuoso: /sparql takes queries and updates (with the SPARQL_UPDATE grant), /sparql-auth the same with
    # Digest authentication. Its SPARQL compiler refuses an INSERT DATA of more than about 1,500 triples (the SQL
    # it generates exceeds 10,000 lines), it commits each operation of an update request on its own, and its
    # MOVE (and a graph store PUT onto a graph that holds triples) copies or deletes triple by triple, about 1 ms
    # each, where DROP and a PUT onto an empty graph take 0.1 s for 10,000 triples. With the merged graph as the
    # default graph of queries (one graph instead of the study's), Virtuoso 7.2 answers code-evidence and
    # saturation wrongly on the shared corpus, every time: queries there read the union of the study's graphs.
    Server("virtuoso", ((r"(.*)/sparql-auth", "{}/sparql-auth", "{}/sparql-graph-crud-auth"),
                        (r"(.*)/sparql", "{}/sparql", "{}/sparql-graph-crud")),
           update_triples=1_000, atomic_updates=False, basic_up_front=False, fast_move=False,
           merged_graph=False),
    Server("oxigraph", ((r"(.*)/query", "{}/update", "{}/store"),)),
    Server("fuseki", ((r"(.*)/(?:query|sparql)", "{}/update", "{}/data"),)),
    Server("graphdb", ((r"(.*/repositories/[^/?#]+)", "{}/statements", "{}/rdf-graphs/service"),)),
)}


def derive(url: str, server: str = "") -> tuple[str, str | None]:
    """The update and Graph Store Protocol URLs that go with a query URL on `server` ("" when unknown); the
    query URL itself and no graph store when no convention fits:

    >>> derive("http://host:8890/sparql", "virtuoso")
    ('http://host:8890/sparql', 'http://host:8890/sparql-graph-crud')
    >>> derive("http://host:3030/ds/sparql")
    ('http://host:3030/ds/update', 'http://host:3030/ds/data')
    >>> derive("http://host:7200/repositories/study")
    ('http://host:7200/repositories/study/statements', 'http://host:7200/repositories/study/rdf-graphs/service')
    """
    return _fit(url, _conventions(server)) or (url, None)


def depends_on_server(url: str) -> bool:
    """Whether the URLs that go with this query URL differ from one server to another (then gtkg looks at
    which server answers)."""
    return len({derive(url, name) for name in _fitting(url)} | {derive(url)}) > 1


def implied(url: str) -> str:
    """The server that a query URL names by itself: the only one whose conventions it fits (Virtuoso for
    /sparql-auth, GraphDB for /repositories/ID), else ""."""
    fitting = _fitting(url)
    return fitting[0] if len(fitting) == 1 else ""


def _fitting(url: str) -> list[str]:
    return [name for name, server in SERVERS.items() if _fit(url, server.urls)]


def _fit(url: str, conventions) -> tuple[str, str] | None:
    base = url.split("?", 1)[0].rstrip("/")
    for pattern, update, store in conventions:
        if match := re.fullmatch(pattern, base):
            return update.format(match[1]), store.format(match[1])
    return None


def _conventions(server: str) -> tuple:
    """A known server's URL conventions; for an unknown one, those a query URL can be guessed by (only
    /sparql-auth says Virtuoso: a /sparql URL is taken for Fuseki's)."""
    if server:
        return SERVERS[server].urls
    return SERVERS["virtuoso"].urls[:1] + sum((SERVERS[name].urls for name in ("oxigraph", "fuseki", "graphdb")), ())


def recognize(headers: dict) -> str:
    """The server that sent an answer with these headers (names in lower case), or "" when they do not say:

    >>> recognize({"server": "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"})
    'virtuoso'
    """
    said = (headers.get("server") or "").lower()
    for name in SERVERS:
        if name in said:
            return name
    return "fuseki" if headers.get("fuseki-request-id") else ""


def limits(server: str) -> Server:
    """The server's limits (those of SPARQL 1.1 for an unknown server)."""
    return SERVERS.get(server) or Server("", ())
