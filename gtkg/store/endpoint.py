"""Where a remote SPARQL endpoint lives and how to talk to it: URLs, credentials, timeout, retries.

Credentials never come from the command line: $GTKG_ENDPOINT_USER and $GTKG_ENDPOINT_PASSWORD, or the
config file $XDG_CONFIG_HOME/gtkg/endpoints.toml (default ~/.config/gtkg/endpoints.toml), one table per
query URL:

    ["https://sparql.example.org/study/query"]
    user = "alice"
    password = "..."
    update = "https://sparql.example.org/study/update"     # optional, see Endpoint.resolve
    graph_store = "https://sparql.example.org/study/store"  # optional; "" uploads by SPARQL Update
    timeout = 60                                           # seconds a request may take in all (default 30)
    retries = 2                                            # extra attempts on transient errors
    union_default_graph = true                             # see below
    server = "virtuoso"                # optional: virtuoso, oxigraph, fuseki or graphdb (see gtkg.store.servers)

Queries must see the union of all named graphs. By default each request names every graph as its dataset
(SPARQL 1.1 Protocol `default-graph-uri`/`named-graph-uri`): standard, and blind to the temporary graphs
of a load in progress, but the server's work grows with the number of graphs (Oxigraph, 1,000 sources:
6x slower than the union). `union_default_graph = true` trusts the server to expose the union as its
default graph (Oxigraph: `serve --union-default-graph`; Fuseki: `tdb2:unionDefaultGraph true`) and is
checked on first use. A load's temporary graphs would be part of that union: each query first lists the
graphs and, while there are temporary ones, names its dataset as above. (A load that starts uploading during
a query is not seen by that check.) gtkg's record of which input file each graph came from (the graph
<urn:gtkg:files>, one gt:loadedFrom triple per file) is part of that union too, and so visible to ad-hoc queries.
"""

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from gtkg.errors import InputError
from gtkg.store.servers import SERVERS, depends_on_server, derive, implied

SETTINGS = {"update": (str,), "graph_store": (str,), "user": (str,), "password": (str,),
            "timeout": (int, float), "retries": (int,), "backoff": (int, float), "union_default_graph": (bool,),
            "server": (str,)}


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 service: query URL, update URL, and Graph Store Protocol URL (None: use Update)."""

    query: str
    update: str
    graph_store: str | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0  # seconds for a whole request, from connecting to the answer's last byte
    retries: int = 2
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    union_default_graph: bool = False  # the server's default graph is the union of its named graphs
    server: str = ""  # which server this is (a name of gtkg.store.servers.SERVERS), "" while unknown
    derived: frozenset = frozenset()  # the URLs ("update", "graph_store") that follow the server's convention

    def __str__(self) -> str:
        return self.query

    def awaits_server(self) -> bool:
        """Whether URLs derived here would change once the server is known (so gtkg looks at its answers)."""
        return not self.server and bool(self.derived) and depends_on_server(self.query)

    def on(self, server: str) -> "Endpoint":
        """This endpoint on `server`: the URLs derived here follow that server's convention."""
        update, graph_store = derive(self.query, server)
        chosen = {"update": update, "graph_store": graph_store}
        return replace(self, server=server, **{key: chosen[key] for key in self.derived})

    @classmethod
    def resolve(cls, url, *, update: str | None = None, graph_store: str | None = None) -> "Endpoint":
        """An Endpoint from a query URL (or an Endpoint), filled in from the config file and environment.

        Unset URLs follow the server's convention (see gtkg.store.servers): that of the `server` setting, else
        the one the query URL fits until the server's answers say which server it is; where none fits, the query
        URL serves updates too and graphs are uploaded by SPARQL Update:

        >>> e = Endpoint.resolve("http://127.0.0.1:7878/query")
        >>> e.update, e.graph_store
        ('http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
        >>> Endpoint.resolve("http://host/ds/sparql").graph_store
        'http://host/ds/data'
        >>> Endpoint.resolve("http://host:8890/sparql").on("virtuoso").graph_store
        'http://host:8890/sparql-graph-crud'
        >>> e = Endpoint.resolve("http://host/other")
        >>> e.update, e.graph_store
        ('http://host/other', None)
        """
        if isinstance(url, Endpoint):
            return url
        settings = config_for(url)
        server = settings.pop("server", "") or implied(url)
        derived_update, derived_store = derive(url, server)
        update = update or settings.pop("update", None)
        graph_store = _choose(graph_store, settings.pop("graph_store", None))
        derived = frozenset(key for key, given in (("update", update), ("graph_store", graph_store)) if given is None)
        endpoint = cls(query=url, update=update or derived_update,
                       graph_store=derived_store if graph_store is None else graph_store or None, server=server,
                       derived=derived)
        return replace(endpoint, **{**settings, **_from_environment()})


def _choose(given, configured) -> str | None:
    """The graph store URL given or configured ("" in the config file: the server has none), None if neither."""
    return given if given is not None else configured


def _from_environment() -> dict:
    settings = {}
    for name, key in (("GTKG_ENDPOINT_USER", "user"), ("GTKG_ENDPOINT_PASSWORD", "password")):
        if os.environ.get(name):
            settings[key] = os.environ[name]
    return settings


def config_path() -> Path:
    home = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(home) / "gtkg" / "endpoints.toml"


def config_for(url: str) -> dict:
    """The settings of `url` in the config file ({} when there is no file or no table for it)."""
    path = config_path()
    if not path.is_file():
        return {}
    try:
        tables = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read the endpoint settings: {exc}") from exc
    settings = dict(tables.get(url) or tables.get(url.rstrip("/")) or {})
    for key, value in settings.items():
        if key not in SETTINGS:
            raise InputError(f"{path}: unknown setting {key!r} for {url}; use {', '.join(SETTINGS)}")
        if not isinstance(value, SETTINGS[key]) or (isinstance(value, bool) and bool not in SETTINGS[key]):
            raise InputError(f"{path}: setting {key!r} for {url} must be a {SETTINGS[key][-1].__name__}, "
                             f"not {value!r}")
    if settings.get("server", "") not in ("", *SERVERS):
        raise InputError(f"{path}: setting 'server' for {url} must be one of {', '.join(SERVERS)}, not "
                         f"{settings['server']!r}")
    return settings
