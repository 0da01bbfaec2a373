"""A SPARQL 1.1 endpoint as the store: the same interface and results as the embedded store.

Queries and updates use the SPARQL 1.1 Protocol; graphs are uploaded and read by the Graph Store HTTP
Protocol (much faster for bulk data), or by SPARQL Update where the server has none. Every request goes
through gtkg.store.transport (time limit, redirects, credentials, retries). Queries name their dataset the
standard way (SPARQL 1.1 Protocol `default-graph-uri` / `named-graph-uri`): the study's graphs as named graphs,
and as default graph the graph urn:gtkg:merged, the RDF merge of the study's graphs that every load writes (each
statement once, as in the embedded store), or, where there is none (Virtuoso, see gtkg.store.servers), every
study graph. So the server needs no union-default-graph setting (see gtkg.store.endpoint for the faster opt-in
that uses one), and a server's default graph (Virtuoso's is the union of every graph it holds, its own
included) never enters a query.

The study is the graphs gtkg wrote: gtkg's record on the server (the graph urn:gtkg:files) lists them, with the
input file of each; other graphs on the server are neither read nor touched. (A server holding no such list, as
loaded by an older gtkg or by other tools, holds a study of all its named graphs but the server's own.) Reads are
checked against the server's counts, since Virtuoso cuts an answer at its ResultSetMaxRows without an error.

A load is all or nothing provided the server runs one update request as one transaction, as SPARQL 1.1 Update asks
(Oxigraph, Fuseki and GraphDB do; Virtuoso commits each operation on its own, so there a failure within the final
update can leave part of the load applied, and the error says so). It uploads each graph to a temporary graph,
then MOVEs them all in one update. A success answer is not taken on trust (the protocol allows any body, and a URL
that is no SPARQL endpoint, or a proxy, may answer 200 to anything): one COUNT query checks that the temporary
graphs hold every triple sent before the MOVE, and one after it that the graphs hold them and the temporary graphs
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
from gtkg.store.literals import ANY, as_stored, held, may_merge
from gtkg.store.results import as_value, ntriples
from gtkg.store.servers import limits, recognize
from gtkg.store.sparql_text import names_dataset, query_form, with_prefixes
from gtkg.store.transport import Answer, NoAnswerError, send

TEMPORARY = "urn:gtkg:tmp:"  # graphs being uploaded; never part of what gtkg reads
FILES = "urn:gtkg:files"  # gtkg's record: the study's graphs and their input files; never part of what gtkg reads
# The RDF merge of the study's graphs, each statement once, which every load keeps current: the default graph of
# queries (the union of the study's graphs would hold a statement made in two files twice).
MERGED = "urn:gtkg:merged"
MERGED_GRAPH = "urn:gtkg:MergedGraph"  # the record's class of the merged graph
LOADED_FROM = "https://w3id.org/gtkg/ontology#loadedFrom"
STUDY_GRAPH = "urn:gtkg:StudyGraph"  # the record's class of the graphs gtkg wrote
NO_GRAPH = "urn:gtkg:none"  # the dataset of a query while the study has no graph (not the server's default graph)
# The graphs a fresh Virtuoso holds of its own (its DefaultHost is localhost:8890 unless configured otherwise).
SERVER_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
                 "http://www.w3.org/2002/07/owl#", "http://localhost:8890/sparql", "http://localhost:8890/DAV/")
XSD_NS, XSD_STRING = "http://www.w3.org/2001/XMLSchema#", "http://www.w3.org/2001/XMLSchema#string"
VALUES_SIZE = 1_000  # graphs named in one query's VALUES (Virtuoso refuses some 5,000)
STALE_SECONDS = 3600  # a temporary graph older than this is a leftover of a killed load
BATCH_TRIPLES = 50_000
NOT_APPLIED = "load not applied: the previous graphs are unchanged"
UNSURE = "the server may or may not have applied the load: run it again"
PARTLY = ("the server applies the operations of one update one by one, so part of the load may be applied: run it "
          "again")
CUT_HINT = ("; raise the server's limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini) above "
            "the size of the answer")
FORM = "application/x-www-form-urlencoded"
ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
ACCEPT_RDF = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
HTML = ("text/html", "application/xhtml+xml")  # never SPARQL results nor RDF: the page of some web server
LIST_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
# Virtuoso and RDF4J answer `GRAPH ?g {}` with one empty solution or none (against SPARQL 1.1): then this (not
# DISTINCT, which takes Virtuoso 7.2 40 s for 600 graphs of 40 triples; GROUP BY takes 30 ms).
LIST_GRAPHS_BY_TRIPLES = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class RemoteStore(Store):
    """A study graph on a SPARQL 1.1 server; a load becomes visible in one update, or not at all."""

    def __init__(self, endpoint, *, update: str | None = None, graph_store: str | None = None,
                 batch_size: int = BATCH_TRIPLES):
        self.endpoint = Endpoint.resolve(endpoint, update=update, graph_store=graph_store)
        self.location = self.endpoint.query
        self.batch_size = batch_size
        self._all_graphs: list[str] | None = None  # every named graph on the server, temporary ones too
        self._study: set[str] | None = None  # the study's graphs
        self._listed = False  # whether the record lists the study's graphs
        self._merged = False  # whether the record says the server holds the merged graph of the study
        self._heard = False  # whether the server answered (and so said which server it is, if it does)
        self._union_checked = False

    def graphs(self) -> set[str]:
        """The graphs the record lists; where it lists none (gtkg never loaded here, or an older gtkg did), every
        named graph but gtkg's and the server's own."""
        if self._study is None:
            rows = self._select(f"SELECT ?g ?k WHERE {{ VALUES ?k {{ <{STUDY_GRAPH}> <{MERGED_GRAPH}> }} "
                                f"GRAPH <{FILES}> {{ ?g a ?k }} }}", g=_iri, k=_iri)
            listed = {g for g, k in rows if k == STUDY_GRAPH}
            self._study = listed or {g for g in self._listing()
                                     if not g.startswith(TEMPORARY) and g not in (FILES, MERGED, *SERVER_GRAPHS)}
            self._listed = bool(listed)
            self._merged = (MERGED, MERGED_GRAPH) in rows
        return self._study

    def rebuilds(self, graphs: set[str]) -> bool:
        """Never: an endpoint is written graph by graph (see replace_graphs), not rebuilt in one bulk load."""
        return False

    def files(self) -> dict[str, str]:
        """Graph IRI -> the input file it was loaded from, kept in gtkg's graph <urn:gtkg:files>."""
        rows = self._select(f"SELECT ?g ?path WHERE {{ GRAPH <{FILES}> {{ ?g <{LOADED_FROM}> ?path }} }}",
                            g=_iri, path=_text)
        return dict(rows)

    def replace_graphs(self, graphs: dict[str, str], *, files: dict | None = None) -> None:
        """Replace each named graph by its N-Quads text, all or nothing, and check that the server did.

        Each graph is uploaded to a temporary graph first (in batches), where the counts and literals are
        checked; one update then MOVEs them all onto their targets. On any failure until then the temporary
        graphs are dropped and the previous graphs stay as they were. (Where MOVE copies triple by triple, as
        Virtuoso's does, each graph is dropped and uploaded again instead: see _write_in_place.)
        """
        if not graphs:
            return
        started = int(time.time())
        texts = {graph: _as_ntriples(graph, nquads) for graph, nquads in graphs.items()}
        counts = {graph: _count_range(lines) for graph, lines in texts.items()}
        temporary = {graph: f"{TEMPORARY}{started}:{uuid.uuid4().hex}:{n}" for n, graph in enumerate(graphs)}
        step = "prepare"
        try:
            study = self.graphs()
            older = not self._listed and self._ask(f"ASK {{ GRAPH <{FILES}> {{ ?g <{LOADED_FROM}> ?path }} }}")
            kept = study if older else set()  # the graphs an older gtkg loaded here join the list
            written, emptied = {g for g in graphs if counts[g][1]}, {g for g in graphs if not counts[g][1]}
            merging = self._merging((study | written) - emptied)
            records = [*_recording(files or {}, kept | written, emptied, merged=bool(merging)),
                       f"DROP SILENT GRAPH <{MERGED}>", *merging]
            self._drop_leftovers(started)
            step = "upload"
            uploaded = self._upload(texts, temporary)
            self._check_counts({temporary[g]: n for g, n in counts.items() if n[1]}, uploaded,
                               "the upload", "did not store the upload")
            self._check_literals(texts, temporary)
            step = "move"
            if limits(self.endpoint.server).fast_move:
                moves = [f"MOVE <{temporary[g]}> TO <{g}>" if counts[g][1] else f"DROP SILENT GRAPH <{g}>"
                         for g in graphs]
                moved = self._update(" ;\n".join(moves + records), idempotent=False)  # one request: one transaction
            else:
                moved = self._write_in_place(texts, temporary, records)
            step = "check"
            self._check_counts({**counts, **{temporary[g]: (0, 0) for g in graphs}}, moved,
                               "the final update", "did not apply the load as sent")
        except BaseException as exc:
            if step != "prepare":
                self._drop_quietly(temporary.values())
            if isinstance(exc, EndpointError) and (outcome := self._outcome(step, exc)):
                raise EndpointError(f"{exc} ({outcome})") from exc
            raise
        finally:
            self._all_graphs = self._study = None

    def _merging(self, study: set[str]) -> list[str]:
        """The updates that fill the merged graph of `study` (the graphs once the load is applied) after the load
        dropped it, sent in the same request as the moves: each triple once, copied on the server. None where
        queries read the server's union default graph (union_default_graph = true) or where the server answers
        queries over it wrongly (see gtkg.store.servers)."""
        if self.endpoint.union_default_graph or not limits(self.endpoint.server).merged_graph:
            return []
        return [f"INSERT {{ GRAPH <{MERGED}> {{ ?s ?p ?o }} }} WHERE {{ VALUES ?g {{ {values} }} "
                "GRAPH ?g { ?s ?p ?o } }" for values in _iri_lists(sorted(study))]

    def _write_in_place(self, texts: dict[str, list[str]], temporary: dict[str, str], records: list[str]) -> Answer:
        """Write the checked graphs onto their targets where MOVE copies triple by triple (Virtuoso: 10 s for
        10,000 triples, while dropping a graph and uploading one take 0.1 s each): each graph dropped and uploaded
        again; then one update records the graphs and drops the temporary ones. Returns its answer."""
        for graph, lines in texts.items():
            self._update(f"DROP SILENT GRAPH <{graph}>", idempotent=False)
            for n, batch in enumerate(self._batches(lines)):
                self._upload_batch(graph, batch, first=n == 0)
        drops = [f"DROP SILENT GRAPH <{temporary[graph]}>" for graph in texts]
        return self._update(" ;\n".join(records + drops), idempotent=False)

    def _outcome(self, step: str, exc: EndpointError) -> str:
        """What a load that failed at `step` did to the server's graphs ("": the error says)."""
        if step in ("prepare", "upload"):
            return NOT_APPLIED
        if not limits(self.endpoint.server).atomic_updates:
            return PARTLY
        if step == "move":
            return UNSURE if isinstance(exc, NoAnswerError) else NOT_APPLIED
        return ""

    def _check_literals(self, texts: dict[str, list[str]], temporary: dict[str, str]) -> None:
        """Does the server hold the XSD literals of graphs with literals it may rewrite ("05"^^xsd:int,
        "P1Y"^^xsd:duration) as the embedded store would, once read back (gtkg.store.literals.as_stored)? Else
        export could not give them back as written: an error naming one. Other graphs are not read back."""
        for graph, lines in texts.items():
            if not any(map(may_merge, lines)):
                continue
            sent = [t for t in ox.parse("\n".join(lines), format=ox.RdfFormat.N_TRIPLES) if _typed(t.object)]
            stored = held(t.object for t in sent)
            expected = {_key(t.subject, t.predicate, stored[t.object]): t for t in sent}
            held_here = self._read_whole(temporary[graph], self._counts([temporary[graph]]).get(temporary[graph], 0))
            found = {_key(t.subject, t.predicate, t.object) for t in as_stored(held_here) if _typed(t.object)}
            if missing := sorted(set(expected) - found):
                written = expected[missing[0]]
                raise EndpointError(
                    f"SPARQL endpoint {self.endpoint.query} holds {len(missing)} literals of <{graph}> otherwise "
                    f"than sent, so that they could not be given back as written (one: {written.object} of "
                    f"{written.subject} {written.predicate}, held as {_held_as(found, missing[0])}); write them in "
                    "a form the server keeps (Virtuoso stores durations as numbers, xsd:unsignedInt in 32 bits, "
                    "and one number of two types: 4 and 4.0), or use another store")

    def query(self, sparql: str, *, timeout: float | None = None, prefixes: dict | None = None):
        """Run SPARQL over the union of all graphs (or the graphs its FROM clauses name): a Table (SELECT), a
        bool (ASK) or Turtle bytes. `prefixes` are declared unless the query declares them itself. The
        endpoint's own timeout bounds each request, `timeout` too when shorter."""
        sparql = with_prefixes(sparql, prefixes or {})
        dataset = ([], []) if names_dataset(sparql) else self._dataset()
        graph_result = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        return self._query(sparql, _triples_value if graph_result else as_value, dataset, timeout=timeout)

    def _dataset(self) -> tuple[list[str], list[str]]:
        """The graphs a query names as its dataset: (default graphs, named graphs). The default graph is the
        merged graph where a load wrote one, else the union of the study's graphs (a statement of two files
        twice); the named graphs are the study's. None for the server's union default graph, unless a load's
        temporary graphs are on the server (looked up for each query, as a load may start any time). The union
        default graph holds gtkg's record of input files too, so that dataset does as well."""
        if self.endpoint.union_default_graph:
            self._all_graphs = self._study = None
            self._check_union()
            listing = self._listing()
            if not any(g.startswith(TEMPORARY) for g in listing):
                return [], []
            graphs = sorted(self.graphs() | ({FILES} & set(listing)))
            return graphs, graphs
        graphs = sorted(self.graphs()) or [NO_GRAPH]
        return [MERGED] if self._merged else graphs, graphs

    def _check_union(self) -> None:
        """Is a triple of a named graph in the default graph, and does the server hold no graph besides the
        study's and gtkg's? (An empty store passes.)"""
        if self._union_checked:
            return
        setting = f"union_default_graph = true for it in {config_path()}"
        sample = self._query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", list)
        if sample and not self._ask(f"ASK {{ {str(sample[0])} }}"):
            raise EndpointError(f"SPARQL endpoint {self.endpoint.query} does not expose the union of its graphs "
                                f"as default graph, yet {setting}; enable it on the server (Oxigraph: "
                                "--union-default-graph) or remove the setting")
        others = sorted(set(self._listing()) - self.graphs() - {FILES, MERGED} - {g for g in self._listing()
                                                                          if g.startswith(TEMPORARY)})
        if others:
            raise EndpointError(f"SPARQL endpoint {self.endpoint.query} holds {len(others)} graphs besides the "
                                f"study's (<{others[0]}>, ...), which its default graph would add to every query, "
                                f"yet {setting}; remove the setting (gtkg then names the study's graphs in each "
                                "query), or keep the study on a server of its own")
        self._union_checked = True

    def quads(self) -> list:
        return [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
                for graph, triples in sorted(self._read_graphs().items()) for t in triples]

    def dump(self) -> dict:
        return {graph: ntriples(triples) for graph, triples in self._read_graphs().items()}

    def _read_graphs(self) -> dict[str, list]:
        """Every graph of the study, its literals as the embedded store holds them."""
        graphs = sorted(self.graphs())
        counts = self._counts(graphs)
        return {graph: as_stored(self._read_whole(graph, counts.get(graph, 0))) for graph in graphs}

    def _read_whole(self, graph: str, count: int) -> list:
        """A graph's triples, checked against the server's count of them: a server may cut an answer short
        without saying so (Virtuoso at its ResultSetMaxRows); then it is read again in pages of what it gave."""
        triples = self._read_graph(graph)
        given = len(set(triples))
        if 1 < given < count:
            triples = self._read_pages(graph, given - 1, count)
            given = len(set(triples))
        if given != count:
            raise EndpointError(
                f"SPARQL endpoint {self._reader()} gave {given} triples of the graph <{graph}>, yet "
                f"{self.endpoint.query} counts {count} in it: the server cut its answer short{CUT_HINT}")
        return triples

    def _read_pages(self, graph: str, size: int, count: int) -> list:
        """A graph by CONSTRUCT queries of `size` triples each (LIMIT and OFFSET without ORDER BY, which
        Virtuoso would refuse past 10,000 rows: pages of one scan that the count then checks)."""
        triples = []
        for offset in range(0, count + size, size):
            page = self._query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT {size} "
                               f"OFFSET {offset}", list)
            triples += page
            if len(page) < size:
                break
        return triples

    def engine(self) -> None:
        """None: the data is on the server; work that needs the engine copies `quads()`."""
        return None

    def close(self) -> None:
        self._all_graphs = None

    # -- the graphs on the server

    def _listing(self) -> list[str]:
        if self._all_graphs is None:  # two forms, since Virtuoso answers the first with one empty solution
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
        found = self._counts(list(expected))
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

    def _counts(self, graphs: list[str]) -> dict[str, int]:
        """Graph -> how many triples the server holds in it (graphs it does not hold are left out)."""
        found = {}
        for values in _iri_lists(graphs):
            found |= dict(self._select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ "
                                       "?s ?p ?o } } GROUP BY ?g", g=_iri, n=_count))
        return found

    # -- uploads

    def _upload(self, texts: dict[str, list[str]], temporary: dict[str, str]) -> Answer | None:
        """Upload every non-empty graph to its temporary graph; returns the last answer (None: nothing sent)."""
        answer = None
        for graph, lines in texts.items():
            for n, batch in enumerate(self._batches(lines)):
                answer = self._upload_batch(temporary[graph], batch, first=n == 0)
        return answer

    def _batches(self, lines: list[str]) -> list[list[str]]:
        """A graph's lines in batches of batch_size (by SPARQL Update, at most what the server takes in one
        INSERT DATA); in one if it has a blank node, which must not be split (each document gets its own blank
        nodes)."""
        self._settle()
        size = self.batch_size if self.endpoint.graph_store else min(self.batch_size,
                                                                     limits(self.endpoint.server).update_triples)
        if len(lines) <= size or any("_:" in line for line in lines):
            return [lines] if lines else []
        return [lines[start: start + size] for start in range(0, len(lines), size)]

    def _upload_batch(self, graph: str, lines: list[str], *, first: bool) -> Answer:
        body = "\n".join(lines) + "\n"
        if self.endpoint.graph_store:
            return self._send("PUT" if first else "POST", self._graph_url(graph), body.encode("utf-8"),
                              {"Content-Type": "application/n-triples"}, idempotent=first)
        return self._update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")

    def _drop_quietly(self, graphs) -> None:
        try:
            self._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs), idempotent=False)
        except EndpointError:
            pass  # the server is gone: the next load drops its leftover temporary graphs

    # -- reads

    def _read_graph(self, graph: str):
        self._settle()
        if self.endpoint.graph_store:
            answer = self._send("GET", self._graph_url(graph), headers={"Accept": ACCEPT_RDF})
            return _parsed(answer, lambda: list(ox.parse(
                answer.body, format=ox.RdfFormat.from_media_type(answer.media) or ox.RdfFormat.N_TRIPLES)))
        return self._query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", list)

    def _graph_url(self, graph: str) -> str:
        separator = "&" if "?" in self.endpoint.graph_store else "?"
        return f"{self.endpoint.graph_store}{separator}{urllib.parse.urlencode({'graph': graph})}"

    def _reader(self) -> str:
        return self.endpoint.graph_store or self.endpoint.query

    # -- HTTP, and which server answers

    def _send(self, method: str, url: str, data: bytes | None = None, headers: dict | None = None, *,
              idempotent: bool = True, endpoint: Endpoint | None = None, expected_headers: int = 0) -> Answer:
        answer = send(endpoint or self.endpoint, method, url, data, headers, idempotent=idempotent,
                      expected_headers=expected_headers)
        if not self._heard:
            self._heard = True
            server = recognize(answer.headers)
            if server and not self.endpoint.server:
                self.endpoint = self.endpoint.on(server)
        return answer

    def _settle(self) -> None:
        """Before the first update or graph store request: the URLs of the server that answers (which its
        first answer says, and a query asks if there was none)."""
        if not self._heard and self.endpoint.awaits_server():
            self._ask("ASK {}")

    # -- SPARQL 1.1 Protocol

    def _query(self, text: str, read: Callable, dataset=((), ()), timeout: float | None = None):
        """POST a query (form-encoded: the dataset can be too long for a URL); `read` turns the parsed
        answer (QuerySolutions, QueryBoolean, or an iterator of triples) into values. `dataset`: the default
        graphs and the named graphs to name (none: the server's)."""
        default, named = dataset
        form = [("query", text), *(("default-graph-uri", g) for g in default),
                *(("named-graph-uri", g) for g in named)]
        graph_result = query_form(text) in ("CONSTRUCT", "DESCRIBE")
        endpoint = self.endpoint
        if timeout is not None and timeout < endpoint.timeout:
            endpoint = dataclasses.replace(endpoint, timeout=timeout)
        answer = self._send("POST", self.endpoint.query, urllib.parse.urlencode(form).encode("ascii"),
                            {"Content-Type": FORM, "Accept": ACCEPT_RDF if graph_result else ACCEPT_RESULTS},
                            endpoint=endpoint, expected_headers=len(form))
        if graph_result:
            rdf_format = ox.RdfFormat.from_media_type(answer.media) or ox.RdfFormat.N_TRIPLES
            return _parsed(answer, lambda: read(ox.parse(answer.body, format=rdf_format)))
        results_format = ox.QueryResultsFormat.from_media_type(answer.media) or ox.QueryResultsFormat.JSON
        result = _parsed(answer, lambda: read(ox.parse_query_results(answer.body, format=results_format)))
        _check_complete(answer, result)
        return result

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
        self._settle()
        return self._send("POST", self.endpoint.update, text.encode("utf-8"),
                          {"Content-Type": "application/sparql-update"}, idempotent=idempotent)


def _triples_value(triples):
    """Turtle bytes of a CONSTRUCT's triples, their literals as the embedded store holds them."""
    return as_value(iter(as_stored(list(triples))))


def _typed(term) -> bool:
    """Whether a term is an XSD literal other than a string (a literal a store may hold as a value)."""
    return isinstance(term, ox.Literal) and term.datatype.value.startswith(XSD_NS) and term.datatype.value != XSD_STRING


def _key(subject, predicate, obj) -> tuple:
    """A triple as text, a blank-node subject as _:any (its label differs from read to read)."""
    return str(ANY if isinstance(subject, ox.BlankNode) else subject), str(predicate), str(obj)


def _held_as(found: set[tuple], wrong: tuple) -> str:
    """What the server holds instead, on the same subject and predicate (or nothing)."""
    held = sorted(key[2] for key in found if key[:2] == wrong[:2])
    return " or ".join(held[:2]) if held else "nothing"


def _count_range(lines: list[str]) -> tuple[int, int]:
    """The fewest and the most triples a server may hold for these distinct lines: a server that stores values
    merges "4.0" and "4" of one triple (see gtkg.store.literals.may_merge)."""
    distinct = set(lines)
    return len(distinct) - sum(map(may_merge, distinct)), len(distinct)


def _recording(files: dict, written: set[str], emptied: set[str], *, merged: bool) -> list[str]:
    """The updates, sent in the same request as the moves, that record each graph's input file (None: forget
    it), which graphs the study holds (those written, not those emptied) and whether the merged graph is held."""
    updates = [f"DELETE WHERE {{ GRAPH <{FILES}> {{ <{MERGED}> a <{MERGED_GRAPH}> }} }}"]
    for forget in _iri_lists(list(files)):
        updates.append(f"DELETE {{ GRAPH <{FILES}> {{ ?g <{LOADED_FROM}> ?path }} }} WHERE {{ VALUES ?g {{ {forget} "
                       f"}} GRAPH <{FILES}> {{ ?g <{LOADED_FROM}> ?path }} }}")
    for gone in _iri_lists(sorted(emptied)):
        updates.append(f"DELETE {{ GRAPH <{FILES}> {{ ?g a <{STUDY_GRAPH}> }} }} WHERE {{ VALUES ?g {{ {gone} }} "
                       f"GRAPH <{FILES}> {{ ?g a <{STUDY_GRAPH}> }} }}")
    records = [f"<{g}> <{LOADED_FROM}> {nt_term(path)} ." for g, path in files.items() if path is not None]
    records += [f"<{g}> a <{STUDY_GRAPH}> ." for g in sorted(written)]
    records += [f"<{MERGED}> a <{MERGED_GRAPH}> ."] if merged else []
    for start in range(0, len(records), VALUES_SIZE):  # Virtuoso takes about 1,500 triples in one INSERT DATA
        updates.append(f"INSERT DATA {{ GRAPH <{FILES}> {{ {' '.join(records[start: start + VALUES_SIZE])} }} }}")
    return updates


def _iri_lists(graphs: list[str]) -> list[str]:
    """The graphs as texts `<g1> <g2> ...` of at most VALUES_SIZE graphs each, for VALUES blocks."""
    chunks = (graphs[start: start + VALUES_SIZE] for start in range(0, len(graphs), VALUES_SIZE))
    return [" ".join(f"<{g}>" for g in chunk) for chunk in chunks]


def _check_complete(answer: Answer, result) -> None:
    """A table as long as the limit the server says it set (Virtuoso: X-SPARQL-MaxRows) may have been cut."""
    limit = answer.headers.get("x-sparql-maxrows", "")
    rows = result[1] if isinstance(result, tuple) else getattr(result, "rows", ())
    if limit.isdigit() and len(rows) >= int(limit):
        raise EndpointError(f"SPARQL endpoint {answer.url} gave {len(rows)} rows, the most it gives for one query "
                            f"(X-SPARQL-MaxRows: {limit}): its answer may be cut short{CUT_HINT}")


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
