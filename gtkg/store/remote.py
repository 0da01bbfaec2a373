"""A SPARQL 1.1 endpoint as the store: the same interface and results as the embedded store.

Queries and updates go through SPARQLWrapper; graphs are uploaded and read by the Graph Store HTTP
Protocol (plain HTTP, much faster for bulk data), or by SPARQL Update where the server has none.
Queries see the union of all named graphs the standard way: the request names every graph as both
default and named graph (SPARQL 1.1 Protocol `default-graph-uri` / `named-graph-uri`), so the server
needs no union-default-graph setting (see gtkg.store.endpoint for the faster opt-in that uses one).

A load is all or nothing provided the server runs one update request as one transaction, as SPARQL 1.1
Update asks (Oxigraph, Fuseki and GraphDB do). A graph above `batch_size` triples travels as several
documents, so a blank node must not be shared across batches (gtkg's loaders write none).
"""

import base64
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from http import HTTPStatus

import pyoxigraph as ox

from gtkg.errors import EndpointError, StoreError
from gtkg.store.endpoint import Endpoint, config_path
from gtkg.store.results import as_value, ntriples, serialize
from gtkg.store.sparql_text import query_form

TEMPORARY = "urn:gtkg:tmp:"  # graphs being uploaded; never part of what gtkg reads
BATCH_TRIPLES = 50_000
TRANSIENT_STATUS = {502, 503, 504}


class RemoteStore:
    """A study graph on a SPARQL 1.1 server; a load becomes visible in one update, or not at all."""

    def __init__(self, endpoint, *, update: str | None = None, graph_store: str | None = None,
                 batch_size: int = BATCH_TRIPLES):
        self.endpoint = Endpoint.resolve(endpoint, update=update, graph_store=graph_store)
        self.location = self.endpoint.query
        self.batch_size = batch_size
        self._graphs: set[str] | None = None
        self._union_checked = False

    def graphs(self) -> set[str]:
        if self._graphs is None:
            table = self._sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
            self._graphs = {g for (g,) in table.rows if not g.startswith(TEMPORARY)}
        return set(self._graphs)

    def rebuilds(self, graphs: set[str]) -> bool:
        """Never: an endpoint is written graph by graph (see replace_graphs), not rebuilt in one bulk load."""
        return False

    def files(self) -> dict[str, str]:
        """Graph -> input file records: not kept on endpoints yet, so loads there neither mirror nor refuse."""
        return {}

    def replace_graphs(self, graphs: dict[str, str], progress: Callable | None = None, *,
                       files: dict | None = None) -> None:
        """Replace each named graph by its N-Quads text, all or nothing.

        Each graph is uploaded to a temporary graph first (in batches, calling progress(done, total,
        graph)); one update then MOVEs them all onto their targets. On any failure the temporary graphs
        are dropped and the previous graphs stay as they were.
        """
        token = uuid.uuid4().hex
        temporary = {graph: f"{TEMPORARY}{token}:{n}" for n, graph in enumerate(graphs)}
        try:
            filled = self._upload(graphs, temporary, progress)
            moves = [f"MOVE <{temporary[g]}> TO <{g}>" if g in filled else f"DROP SILENT GRAPH <{g}>" for g in graphs]
            self._update(" ;\n".join(moves), idempotent=False)  # one request: one transaction on the server
        except BaseException as exc:
            self._drop_quietly(temporary.values())
            if isinstance(exc, EndpointError):
                raise EndpointError(f"{exc} (load not applied: the previous graphs are unchanged)") from exc
            raise
        finally:
            self._graphs = None

    def drop_graphs(self, graphs: list[str]) -> None:
        if graphs:
            self._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
            self._graphs = None

    def query(self, sparql: str, *, timeout: float | None = None):
        """Run SPARQL over the union of all graphs: a Table (SELECT), a bool (ASK) or Turtle bytes.

        The endpoint's own timeout bounds each request; `timeout` is accepted for the store interface."""
        if self.endpoint.union_default_graph:
            self._check_union()
            result = self._sparql(sparql)
        else:
            result = self._sparql(sparql, dataset=sorted(self.graphs()))
        return as_value(result) if isinstance(result, list) else result

    def _check_union(self) -> None:
        """Is a triple of a named graph in the default graph? (An empty store passes.)"""
        if self._union_checked:
            return
        sample = self._sparql("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1")
        if sample and not self._sparql(f"ASK {{ {str(sample[0])} }}"):
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

    def dump(self, fmt: str, prefixes: dict | None = None) -> bytes:
        graphs = {graph: ntriples(self._read_graph(graph)) for graph in self.graphs()}
        return serialize(graphs, fmt, prefixes)

    def close(self) -> None:
        self._graphs = None

    # -- uploads

    def _upload(self, graphs: dict[str, str], temporary: dict[str, str], progress) -> set[str]:
        """Upload every non-empty graph to its temporary graph; returns the graphs that have triples."""
        texts = {graph: _as_ntriples(graph, nquads) for graph, nquads in graphs.items()}
        total, done = sum(len(lines) for lines in texts.values()), 0
        for graph, lines in texts.items():
            for start in range(0, len(lines), self.batch_size):
                self._upload_batch(temporary[graph], lines[start: start + self.batch_size], first=start == 0)
                done += len(lines[start: start + self.batch_size])
                if progress:
                    progress(done, total, graph)
        return {graph for graph, lines in texts.items() if lines}

    def _upload_batch(self, graph: str, lines: list[str], *, first: bool) -> None:
        body = "\n".join(lines) + "\n"
        if self.endpoint.graph_store:
            self._http("PUT" if first else "POST", self._graph_url(graph), body.encode("utf-8"),
                       {"Content-Type": "application/n-triples"})
        else:
            self._update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")

    def _drop_quietly(self, graphs) -> None:
        try:
            self._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs), idempotent=False)
        except EndpointError:
            pass  # the server is gone: its leftover temporary graphs are invisible to gtkg

    # -- reads

    def _read_graph(self, graph: str):
        if self.endpoint.graph_store:
            url = self._graph_url(graph)
            body, media = self._http("GET", url, None, {"Accept": "application/n-triples"})
            return _parsed(url, media, lambda: list(ox.parse(body, format=ox.RdfFormat.from_media_type(media)
                                                             or ox.RdfFormat.N_TRIPLES)))
        return self._sparql(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    def _graph_url(self, graph: str) -> str:
        separator = "&" if "?" in self.endpoint.graph_store else "?"
        return f"{self.endpoint.graph_store}{separator}{urllib.parse.urlencode({'graph': graph})}"

    # -- transport

    def _sparql(self, text: str, dataset=()):
        """A query through SPARQLWrapper: a Table (SELECT), a bool (ASK) or a list of triples."""
        from SPARQLWrapper import CONSTRUCT, DESCRIBE, JSON, TURTLE, URLENCODED

        form = query_form(text)
        client = self._client(text, form, URLENCODED)  # form-encoded: the dataset can be too long for a URL
        for graph in dataset:
            client.addParameter("default-graph-uri", graph)
            client.addParameter("named-graph-uri", graph)
        graph_result = form in (CONSTRUCT, DESCRIBE)
        client.setReturnFormat(TURTLE if graph_result else JSON)
        body, media = self._call(self.endpoint.query, lambda: _read(client.query().response))
        if graph_result:
            rdf_format = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.TURTLE
            return _parsed(self.endpoint.query, media, lambda: list(ox.parse(body, format=rdf_format)))
        results_format = ox.QueryResultsFormat.from_media_type(media) or ox.QueryResultsFormat.JSON
        return _parsed(self.endpoint.query, media,
                       lambda: as_value(ox.parse_query_results(body, format=results_format)))

    def _update(self, text: str, *, idempotent: bool = True) -> None:
        from SPARQLWrapper import POSTDIRECTLY

        client = self._client(text, text.split(None, 1)[0].upper(), POSTDIRECTLY)  # MOVE, DROP, INSERT
        self._call(self.endpoint.update, lambda: _read(client.query().response), idempotent=idempotent)

    def _client(self, text: str, form: str, encoding: str):
        """A SPARQLWrapper for one POST request of the given query form."""
        from SPARQLWrapper import POST, SPARQLWrapper

        client = SPARQLWrapper(self.endpoint.query, updateEndpoint=self.endpoint.update)
        client.setMethod(POST)
        client.setRequestMethod(encoding)
        # Set what setQuery() would: its regexes miss comments ("#+ ... loads" reads as LOAD) and take
        # seconds on a large INSERT DATA.
        client.queryString, client.queryType = text, form
        client.timeout = self.endpoint.timeout  # setTimeout() would round it to whole seconds
        if self.endpoint.user:
            client.setCredentials(self.endpoint.user, self.endpoint.password or "")
        return client

    def _http(self, method: str, url: str, data: bytes | None, headers: dict) -> tuple[bytes, str]:
        """One plain HTTP request (Graph Store Protocol); returns body and media type."""
        if self.endpoint.user:
            secret = f"{self.endpoint.user}:{self.endpoint.password or ''}".encode()
            headers = {**headers, "Authorization": "Basic " + base64.b64encode(secret).decode("ascii")}
        request = urllib.request.Request(url, data=data, method=method, headers=headers)

        def send():
            with urllib.request.urlopen(request, timeout=self.endpoint.timeout) as response:
                return _read(response)

        return self._call(url, send, idempotent=method in ("GET", "PUT", "DELETE"))

    def _call(self, url: str, send: Callable, *, idempotent: bool = True):
        """Send, retrying transient failures with backoff; any failure becomes one EndpointError."""
        attempt = 0
        while True:
            try:
                return send()
            except Exception as exc:
                kind, what, hint = _describe(exc, url, self.endpoint)
                if kind is None:
                    raise
                retry = kind == "refused" or (kind == "transient" and idempotent)
                if not retry or attempt >= self.endpoint.retries:
                    tries = f" ({attempt + 1} attempts)" if attempt else ""
                    raise EndpointError(f"{what}{tries}; {hint}") from exc
            time.sleep(self.endpoint.backoff * 2**attempt)
            attempt += 1


def _parsed(url: str, media: str, parse: Callable):
    try:
        return parse()
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(f"SPARQL endpoint {url} answered {media} that cannot be read: {exc}; is this URL "
                            "a SPARQL endpoint?") from exc


def _read(response) -> tuple[bytes, str]:
    return response.read(), response.headers.get_content_type()


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


def _describe(exc: Exception, url: str, endpoint: Endpoint) -> tuple[str | None, str, str]:
    """Classify a failed request: (kind, what happened, what to do); kind None for errors not HTTP's."""
    import http.client
    import urllib.error

    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    if isinstance(exc, SPARQLWrapperException) and isinstance(exc.__context__, urllib.error.HTTPError):
        return _status(exc.__context__.code, _wrapped_body(exc), url)
    if isinstance(exc, urllib.error.HTTPError):
        return _status(exc.code, exc.read(), url)
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return ("timeout", f"SPARQL endpoint {url} did not answer within {endpoint.timeout:g} s",
                f"if it is just slow, raise 'timeout' for {endpoint.query} in {config_path()}")
    if isinstance(reason, ConnectionRefusedError):
        return "refused", f"cannot reach SPARQL endpoint {url}: connection refused", "is the server running?"
    if isinstance(reason, (ConnectionError, http.client.HTTPException)):
        return ("transient", f"SPARQL endpoint {url} dropped the connection ({reason.__class__.__name__})",
                "try again; if it persists, see the server's log")
    if isinstance(reason, OSError):
        return "down", f"cannot reach SPARQL endpoint {url}: {reason}", "check the URL and the network"
    return None, "", ""


def _status(code: int, body: bytes, url: str) -> tuple[str, str, str]:
    phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else ""
    detail = " ".join(body.decode("utf-8", "replace").split())[:300]
    what = f"SPARQL endpoint {url} answered HTTP {code} {phrase}".rstrip() + (f": {detail}" if detail else "")
    if code in (401, 403):
        hint = f"check the credentials (GTKG_ENDPOINT_USER and GTKG_ENDPOINT_PASSWORD, or {config_path()})"
    elif code in (404, 405):
        hint = "check the URL (--endpoint, --update-endpoint, --graph-store)"
    elif code >= 500:
        hint = "the server failed: see its log"
    else:
        hint = "the server refused the request"
    return ("transient" if code in TRANSIENT_STATUS else "status"), what, hint


def _wrapped_body(exc) -> bytes:
    """The server's answer that SPARQLWrapper put into its exception message (as a bytes repr)."""
    import ast

    text = str(exc)
    marker = "Response:\n"
    if marker not in text:
        return b""
    try:
        body = ast.literal_eval(text.split(marker, 1)[1])
    except (ValueError, SyntaxError):
        return b""
    return body if isinstance(body, bytes) else str(body).encode()
