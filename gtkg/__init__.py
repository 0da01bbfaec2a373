"""gtkg: a knowledge-graph backend for grounded-theory studies of software architecture.

The public API mirrors the command line verb for verb; imports are lazy so `gtkg --help` stays fast.
"""

_API = {
    "load": "gtkg.load",
    "LoadSummary": "gtkg.load",
    "export": "gtkg.export",
    "sparql": "gtkg.export",
    "run_query": "gtkg.queries",
    "validate": "gtkg.shapes",
    "build": "gtkg.build",
    "Table": "gtkg.formats",
    "GtkgError": "gtkg.errors",
}

__all__ = sorted(_API)


def __getattr__(name):
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'gtkg' has no attribute {name!r}")
