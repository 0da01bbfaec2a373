"""A SPARQL 1.1 endpoint as the store: the same interface and results as the embedded store.

Queries and updates use the SPARQL 1.1 Protocol; graphs are uploaded and read by the Graph Store HTTP
Protocol (much faster for bulk data), or by SPARQL Update where the server has none. Every request goes
through gtkg.store.transport (time limit, redirects, credentials, retries). Queries see the union of all
named graphs the standard way: the request names every graph as both default and named graph (SPARQL 1.1
Protocol `default-graph-uri` / `named-graph-uri`), so the server needs no union-default-graph setting (see
gtkg.store.endpoint for the faster opt-in that uses one).

A load is all or nothing provided the server runs one update request as one transaction, as SPARQL 1.1
Update asks (Oxigraph, Fuseki and GraphDB do). It uploads each graph to a temporary graph, then MOVEs them
all in one update. A success answer is not taken on trust (the protocol allows any body, and a URL that is no
SPARQL endpoint, or a proxy, may answer 200 to anything): one COUNT query checks that the temporary graphs
hold every triple sent before the MOVE, and one after it that the graphs hold them and the temporary graphs
are gone. (So a server that merges distinct literals of one value, "01" and "1" as xsd:integer, fails a load.)

Temporary graphs are named urn:gtkg:tmp:<start time>:<token>:<n>. No query sees them, and a load drops those
that a killed load left behind: the ones started over STALE_SECONDS ago (younger ones may belong to a load
still running elsewhere; a load's clock is the machine's).
"""

import dataclasses
import time
import urllib.parse
import uuid
from collections.abc import Callable

import pyoxigraph as ox

from gtkg.errors import EndpointError, StoreError
from gtkg.nquads import nt_term
from gtkg.store import Store
from gtkg.store.endpoint import Endpoint, config_path
from gtkg.store.literals import may_merge
from gtkg.store.results import as_value, ntriples
from gtkg.store.sparql_text import names_dataset, query_form, with_prefixes
from gtkg.store.transport import Answer, NoAnswerError, send

TEMPORARY = "urn:gtkg:tmp:"  # graphs being uploaded; never part of what gtkg reads
FILES = "urn:gtkg:files"  # which input file each graph was loaded from; never part of what gtkg reads
LOADED_FROM = "https://w3id.org/gtkg/ontology#loadedFrom"
STALE_SECONDS = 3600  # a temporary graph older than this is a leftover of a killed load
BATCH_TRIPLES = 50_000
NOT_APPLIED = "load not applied: the previous graphs are unchanged"
UNSURE = "the server may or may not have applied the load: run it again"
FORM = "application/x-www-form-urlencoded"
ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
ACCEPT_RDF = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
HTML = ("text/html", "application/xhtml+xml")  # never SPARQL results nor RDF: the page of some web server
LIST_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
# Virtuoso and RDF4J answer `GRAPH ?g {}` with one empty solution or none (against SPARQL 1.1): then this.
LIST_GRAPHS_BY_TRIPLES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


class RemoteStore(Store):
    """A study graph on a SPARQL 1.1 server; a load becomes visible in one update, or not at all."""

    def __init__(self, endpoint, *, update: str | None = None, graph_store: str | None = None,
                 batch_size: int = BATCH_TRIPLES):
        self.endpoint = Endpoint.resolve(endpoint, update=update, graph_store=graph_store)
        self.location = self.endpoint.query
        self.batch_size = batch_size
        self._all_graphs: list[str] | None = None  # every named graph on the server, temporary ones too
        self._union_checked = False

    def graphs(self) -> set[str]:
        return {g for g in self._listing() if not g.startswith(TEMPORARY) and g != FILES}

    def rebuilds(self, graphs: set[str]) -> bool:
        """Never: an endpoint is written graph by graph (see replace_graphs), not rebuilt in one bulk load."""
        return False

    def files(self) -> dict[str, str]:
        """Graph IRI -> the input file it was loaded from, kept in gtkg's graph <urn:gtkg:files>."""
        if FILES not in self._listing():
            return {}
        rows = self._select(f"SELECT ?g ?path WHERE {{ GRAPH <{FILES}> {{ ?g <{LOADED_FROM}> ?path }} }}",
                            g=_iri, path=_text)
        return dict(rows)

    def replace_graphs(self, graphs: dict[str, str], *, files: dict | None = None) -> None:
        """Replace each named graph by its N-Quads text, all or nothing, and check that the server did.

        Each graph is uploaded to a temporary graph first (in batches); one update then MOVEs them all onto
        their targets. On any failure the temporary graphs
        are dropped and the previous graphs stay as they were.
        """
        if not graphs:
            return
        started = int(time.time())
        texts = {graph: _as_ntriples(graph, nquads) for graph, nquads in graphs.items()}
        counts = {graph: _count_range(lines) for graph, lines in texts.items()}
        temporary = {graph: f"{TEMPORARY}{started}:{uuid.uuid4().hex}:{n}" for n, graph in enumerate(graphs)}
        moves = [f"MOVE <{temporary[g]}> TO <{g}>" if counts[g][1] else f"DROP SILENT GRAPH <{g}>" for g in graphs]
        moves += _recording(files or {})
        step = "prepare"
        try:
            self._drop_leftovers(started)
            step = "upload"
            uploaded = self._upload(texts, temporary)
            self._check_counts({temporary[g]: n for g, n in counts.items() if n[1]}, uploaded,
                               "the upload", "did not store the upload")
            step = "move"
            moved = self._update(" ;\n".join(moves), idempotent=False)  # one request: one transaction
            step = "check"
            self._check_counts({**counts, **{temporary[g]: (0, 0) for g in graphs}}, moved,
                               "the final update", "did not apply the load as sent")
        except BaseException as exc:
            if step != "prepare":
                self._drop_quietly(temporary.values())
            if isinstance(exc, EndpointError) and step != "check":
                unsure = step == "move" and isinstance(exc, NoAnswerError)
                raise EndpointError(f"{exc} ({UNSURE if unsure else NOT_APPLIED})") from exc
            raise
        finally:
            self._all_graphs = None

    def query(self, sparql: str, *, timeout: float | None = None, prefixes: dict | None = None):
        """Run SPARQL over the union of all graphs (or the graphs its FROM clauses name): a Table (SELECT), a
        bool (ASK) or Turtle bytes. `prefixes` are declared unless the query declares them itself. The
        endpoint's own timeout bounds each request, `timeout` too when shorter."""
        sparql = with_prefixes(sparql, prefixes or {})
        dataset = [] if names_dataset(sparql) else self._dataset()
        return self._query(sparql, as_value, dataset, timeout=timeout)

    def _dataset(self) -> list[str]:
        """The graphs a query names as its dataset; none for the server's union default graph, unless a
        load's temporary graphs are on the server (looked up for each query, as a load may start any time).
        The union default graph holds gtkg's record of input files too, so that dataset does as well."""
        if self.endpoint.union_default_graph:
            self._check_union()
            self._all_graphs = None
            listing = self._listing()
            if not any(g.startswith(TEMPORARY) for g in listing):
                return []
            return sorted(self.graphs() | ({FILES} & set(listing)))
        return sorted(self.graphs())

    def _check_union(self) -> None:
        """Is a triple of a named graph in the default graph? (An empty store passes.)"""
        if self._union_checked:
            return
        sample = self._query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", list)
        if sample and not self._ask(f"ASK {{ {str(sample[0])} }}"):
            raise EndpointError(f"SPARQL endpoint {self.endpoint.query} does not expose the union of its graphs "
                                f"as default graph, yet union_default_graph = true for it in {config_path()}; "
                                "enable it on the server (Oxigraph: --union-default-graph) or remove the setting")
        self._union_checked = True

    def quads(self) -> list:
        quads = []
        for graph in sorted(self.graphs()):
            name = ox.NamedNode(graph)
            quads += [ox.Quad(t.subject, t.predicate, t.object, name) for t in self._read_graph(graph)]
        return quads

    def dump(self) -> dict:
        return {graph: ntriples(self._read_graph(graph)) for graph in self.graphs()}

    def engine(self) -> None:
        """None: the data is on the server; work that needs the engine copies `quads()`."""
        return None

    def close(self) -> None:
        self._all_graphs = None

    # -- the graphs on the server

    def _listing(self) -> list[str]:
        if self._all_graphs is None:
            graphs = self._select(LIST_GRAPHS, unbound=True, g=_iri)
            if any(g is None for (g,) in graphs) or (not graphs and self._ask("ASK { GRAPH ?g { ?s ?p ?o } }")):
                graphs = self._select(LIST_GRAPHS_BY_TRIPLES, g=_iri)
            self._all_graphs = [g for (g,) in graphs]
        return self._all_graphs

    def _drop_leftovers(self, now: int) -> None:
        """Drop the temporary graphs of loads killed midway (see STALE_SECONDS); never another graph."""
        self._all_graphs = None
        stale = [g for g in self._listing() if g.startswith(TEMPORARY) and _started(g) < now - STALE_SECONDS]
        if stale:
            self._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in stale))

    def _check_counts(self, expected: dict[str, tuple], sent: Answer | None, what: str, verdict: str) -> None:
        """Does each graph hold between the `expected` (fewest, most) triples? Else an error saying what the
        server answered to `what`."""
        if not expected:
            return
        values = " ".join(f"<{g}>" for g in expected)
        rows = self._select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
                            "} GROUP BY ?g", g=_iri, n=_count)
        found = dict(rows)
        wrong = sorted(g for g, (fewest, most) in expected.items() if not fewest <= found.get(g, 0) <= most)
        if wrong:
            url = sent.url.split("?", 1)[0]
            fewest, most = expected[wrong[0]]
            sent_count = f"{most}" if fewest == most else f"{fewest} to {most}"
            raise EndpointError(
                f"SPARQL endpoint {url} answered {sent.describe()} to {what}, yet {self.endpoint.query} counts "
                f"{found.get(wrong[0], 0)} triples in <{wrong[0]}>, not {sent_count} ({len(wrong)} of "
                f"{len(expected)} graphs differ): the server {verdict}; are the query, update and graph store URLs "
                "those of one SPARQL server?")

    # -- uploads

    def _upload(self, texts: dict[str, list[str]], temporary: dict[str, str]) -> Answer | None:
        """Upload every non-empty graph to its temporary graph; returns the last answer (None: nothing sent)."""
        answer = None
        for graph, lines in texts.items():
            for n, batch in enumerate(self._batches(lines)):
                answer = self._upload_batch(temporary[graph], batch, first=n == 0)
        return answer

    def _batches(self, lines: list[str]) -> list[list[str]]:
        """A graph's lines in batches of batch_size; in one if it has a blank node, which must not be split
        (each document gets its own blank nodes)."""
        if len(lines) <= self.batch_size or any("_:" in line for line in lines):
            return [lines] if lines else []
        return [lines[start: start + self.batch_size] for start in range(0, len(lines), self.batch_size)]

    def _upload_batch(self, graph: str, lines: list[str], *, first: bool) -> Answer:
        body = "\n".join(lines) + "\n"
        if self.endpoint.graph_store:
            return send(self.endpoint, "PUT" if first else "POST", self._graph_url(graph), body.encode("utf-8"),
                        {"Content-Type": "application/n-triples"}, idempotent=first)
        return self._update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")

    def _drop_quietly(self, graphs) -> None:
        try:
            self._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs), idempotent=False)
        except EndpointError:
            pass  # the server is gone: the next load drops its leftover temporary graphs

    # -- reads

    def _read_graph(self, graph: str):
        if self.endpoint.graph_store:
            answer = send(self.endpoint, "GET", self._graph_url(graph), headers={"Accept": ACCEPT_RDF})
            return _parsed(answer, lambda: list(ox.parse(
                answer.body, format=ox.RdfFormat.from_media_type(answer.media) or ox.RdfFormat.N_TRIPLES)))
        return self._query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", list)

    def _graph_url(self, graph: str) -> str:
        separator = "&" if "?" in self.endpoint.graph_store else "?"
        return f"{self.endpoint.graph_store}{separator}{urllib.parse.urlencode({'graph': graph})}"

    # -- SPARQL 1.1 Protocol

    def _query(self, text: str, read: Callable, dataset=(), timeout: float | None = None):
        """POST a query (form-encoded: the dataset can be too long for a URL); `read` turns the parsed
        answer (QuerySolutions, QueryBoolean, or an iterator of triples) into values."""
        form = [("query", text), *((key, g) for g in dataset for key in ("default-graph-uri", "named-graph-uri"))]
        graph_result = query_form(text) in ("CONSTRUCT", "DESCRIBE")
        endpoint = self.endpoint
        if timeout is not None and timeout < endpoint.timeout:
            endpoint = dataclasses.replace(endpoint, timeout=timeout)
        answer = send(endpoint, "POST", self.endpoint.query, urllib.parse.urlencode(form).encode("ascii"),
                      {"Content-Type": FORM, "Accept": ACCEPT_RDF if graph_result else ACCEPT_RESULTS})
        if graph_result:
            rdf_format = ox.RdfFormat.from_media_type(answer.media) or ox.RdfFormat.N_TRIPLES
            return _parsed(answer, lambda: read(ox.parse(answer.body, format=rdf_format)))
        results_format = ox.QueryResultsFormat.from_media_type(answer.media) or ox.QueryResultsFormat.JSON
        return _parsed(answer, lambda: read(ox.parse_query_results(answer.body, format=results_format)))

    def _ask(self, text: str) -> bool:
        answer = self._query(text, _table)
        if not isinstance(answer, bool):
            raise self._odd(text, "with a table, not a boolean")
        return answer

    def _select(self, text: str, *, unbound: bool = False, **columns: Callable) -> list[tuple]:
        """The rows of a SELECT that gtkg itself asks, checked: each column there, its values converted by its
        function (None where unbound, if allowed); anything else is an EndpointError, never a wrong answer."""
        table = self._query(text, _table)
        if isinstance(table, bool):
            raise self._odd(text, "with a boolean, not a table")
        names, rows = table
        missing = [name for name in columns if name not in names]
        if missing:
            raise self._odd(text, f"without the column ?{missing[0]} (columns: {' '.join('?' + n for n in names)})")
        picked = [(names.index(name), name, convert) for name, convert in columns.items()]
        return [tuple(self._value(text, row[i], name, convert, unbound) for i, name, convert in picked)
                for row in rows]

    def _value(self, text: str, term, name: str, convert: Callable, unbound: bool):
        if term is None:
            if unbound:
                return None
            raise self._odd(text, f"which gave no ?{name} in a row")
        try:
            return convert(term)
        except TypeError as exc:
            problem = f"which gave ?{name} = {term} where {exc} belongs"
        raise self._odd(text, problem)

    def _odd(self, text: str, problem: str) -> EndpointError:
        query = " ".join(text.split())
        query = query if len(query) <= 100 else query[:99] + "…"
        return EndpointError(f"SPARQL endpoint {self.endpoint.query} answered the query `{query}` {problem}; is it "
                             "a SPARQL 1.1 endpoint?")

    def _update(self, text: str, *, idempotent: bool = True) -> Answer:
        return send(self.endpoint, "POST", self.endpoint.update, text.encode("utf-8"),
                    {"Content-Type": "application/sparql-update"}, idempotent=idempotent)


def _count_range(lines: list[str]) -> tuple[int, int]:
    """The fewest and the most triples a server may hold for these distinct lines: a server that stores values
    merges "4.0" and "4" of one triple (see gtkg.store.literals.may_merge)."""
    distinct = set(lines)
    return len(distinct) - sum(map(may_merge, distinct)), len(distinct)


def _recording(files: dict) -> list[str]:
    """The updates that record each graph's input file (None: forget it), in the same request as the moves."""
    if not files:
        return []
    forget = " ".join(f"<{g}>" for g in files)
    updates = [f"DELETE {{ GRAPH <{FILES}> {{ ?g <{LOADED_FROM}> ?path }} }} WHERE {{ VALUES ?g {{ {forget} }} "
               f"GRAPH <{FILES}> {{ ?g <{LOADED_FROM}> ?path }} }}"]
    recorded = " ".join(f"<{g}> <{LOADED_FROM}> {nt_term(path)} ." for g, path in files.items() if path is not None)
    if recorded:
        updates.append(f"INSERT DATA {{ GRAPH <{FILES}> {{ {recorded} }} }}")
    return updates


def _text(term) -> str:
    if not isinstance(term, ox.Literal):
        raise TypeError("a literal")
    return term.value


def _table(result) -> bool | tuple[list[str], list[list]]:
    """A boolean, or a table's column names and rows of terms: read at once, since pyoxigraph's solutions
    iterator must not outlive this thread's hold on it (an error that kept it would drop it elsewhere)."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    names = [v.value for v in result.variables]
    return names, [[solution[name] for name in names] for solution in result]


def _iri(term) -> str:
    if not isinstance(term, ox.NamedNode):
        raise TypeError("an IRI")
    return term.value


def _count(term) -> int:
    if not (isinstance(term, ox.Literal) and term.value.isdigit()):
        raise TypeError("a count")
    return int(term.value)


def _started(graph: str) -> int:
    """When the load that wrote this temporary graph started (0 if unknown: gtkg named them without it once)."""
    started = graph[len(TEMPORARY):].split(":", 1)[0]
    return int(started) if started.isdigit() and len(started) <= 12 else 0


def _parsed(answer: Answer, parse: Callable):
    what = f"SPARQL endpoint {answer.url} answered {answer.describe()}"
    if answer.media in HTML:
        raise EndpointError(f"{what}; is this URL a SPARQL endpoint?")
    try:
        return parse()
    except (SyntaxError, ValueError) as exc:
        problem = " ".join(str(exc).split())
    # raised here, not in the except clause, so that the parser's error and what it holds are freed now
    raise EndpointError(f"{what}, which cannot be read ({problem}); is this URL a SPARQL endpoint?")


def _as_ntriples(graph: str, nquads: str) -> list[str]:
    """The lines of a graph's N-Quads without the graph name (every line must name `graph`)."""
    suffix = f" <{graph}> ."
    lines = []
    for line in nquads.split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        if not line.endswith(suffix):
            raise StoreError(f"the N-Quads given for graph <{graph}> hold a quad of another graph: {line[:200]}")
        lines.append(line[: -len(suffix)] + " .")
    return lines
