"""The exception tree. Every message says what failed, where, and what to do next."""


class GtkgError(Exception):
    """Base class of every error gtkg raises on purpose."""

    exit_code = 2


class InputError(GtkgError):
    """An input file or argument could not be read."""


class StoreError(GtkgError):
    """The store could not be opened, read or written."""


class StoreBusyError(StoreError):
    """Another process is writing to the embedded store."""


class EndpointError(StoreError):
    """A remote SPARQL endpoint refused or failed a request."""


class QueryError(GtkgError):
    """A stored or ad-hoc query is unknown or malformed."""


class QueryTimeoutError(QueryError):
    """A query ran longer than its time limit (or returned more rows than its limit)."""


class ParameterError(QueryError):
    """A query parameter is missing, unknown or of the wrong type."""


class ShapeError(GtkgError):
    """SHACL shapes could not be read or use an unsupported feature."""


class MissingToolError(GtkgError):
    """An optional library or program an output needs (matplotlib, Graphviz, PlantUML) is not installed."""


class RenderError(GtkgError):
    """An installed renderer (Graphviz, PlantUML) failed on a diagram."""
