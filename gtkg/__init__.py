"""gtkg: a knowledge-graph backend for grounded-theory studies of software architecture.

The public API mirrors the command line verb for verb; imports are lazy so `gtkg --help` stays fast.
Modules are named apart from the functions they hold (`gtkg.loading.load`), so importing a module never
hides a function of the package.
"""

_API = {
    "load": "gtkg.loading",
    "LoadSummary": "gtkg.loading",
    "remove": "gtkg.loading",
    "export": "gtkg.exporting",
    "sparql": "gtkg.exporting",
    "run_query": "gtkg.queries",
    "validate": "gtkg.shapes",
    "build": "gtkg.building",
    "design_space": "gtkg.design",
    "paper_table": "gtkg.paper",
    "diagram": "gtkg.diagrams",
    "Table": "gtkg.table",
    "GtkgError": "gtkg.errors",
}

__all__ = sorted(_API)


def __getattr__(name):
    if name in _API:
        import importlib

        value = globals()[name] = getattr(importlib.import_module(_API[name]), name)
        return value
    raise AttributeError(f"module 'gtkg' has no attribute {name!r}")
