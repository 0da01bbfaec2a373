"""CodeableModels model files, read with `ast` only (never imported or run).

`parse` reads all model files of one load together, so names resolve across them
(`from pkg.sources import *`); `emit` writes each file's records into its own graph.

>>> models = parse({"m.py": 's1 = CClass(source, "s1", values={"title": "A" + "B"})\\n'
...                         'add_links({s1: [x, x]}, role_name="contained_code")\\n'})
>>> [(d.problem, d.line) for d in models.files["m.py"].diagnostics]
[('duplicate-containment', 2)]
"""

from collections import defaultdict
from dataclasses import dataclass, field

from gtkg.loaders.codeable import Env, interpret
from gtkg.loaders.emit import FileEmitter
from gtkg.loaders.python_source import split_statements
from gtkg.loaders.records import VIOLATION, WARNING, Diagnostic, Fragment

VOCABULARY_MODULES = ("metamodels", "codeable_models")


@dataclass
class Models:
    files: dict = field(default_factory=dict)  # key -> Fragment
    sources: dict = field(default_factory=dict)  # variable -> source id


def parse(texts: dict[str, str]) -> Models:
    """Interpret every model file (key -> text); list and dict variables resolve across all of them."""
    env = Env()
    split = {}
    for key, text in texts.items():
        statements, unreadable = split_statements(text)
        env.collect(statements)
        split[key] = (statements, unreadable)
    models = Models()
    for key, (statements, unreadable) in split.items():
        fragment = interpret(statements, env)
        fragment.diagnostics[:0] = unreadable
        models.files[key] = fragment
    _find_defects(models, env)
    return models


def _find_defects(models: Models, env: Env) -> None:
    declared: dict[str, list] = defaultdict(list)  # variable -> [(key, decl)]
    for key, fragment in models.files.items():
        for decl in fragment.declarations:
            declared[decl.var].append((key, decl))
            if decl.metaclass == "source":
                models.sources[decl.var] = decl.label or decl.var
    for var, places in declared.items():
        if len(places) > 1:
            _report_redefinition(models, var, places)
    _duplicate_containment(models)
    code_vars = {var for var, places in declared.items() if places[0][1].metaclass not in ("source", "reference")}
    for fragment in models.files.values():
        for var, (names, line) in fragment.lists.items():
            if var not in env.used and names and (var.endswith("codes") or set(names) <= code_vars):
                fragment.diagnostics.append(Diagnostic(line, "unlinked-code-list", f"the code list {var} is built "
                                            "but never linked to a source; add it to an add_links(..., "
                                            "role_name=\"contained_code\") call", WARNING, about=None))


def _report_redefinition(models: Models, var: str, places: list) -> None:
    first_key, first = places[0]
    for key, decl in places[1:]:
        where = f"{first_key}:{first.line}"
        if decl.metaclass == "source" and first.metaclass == "source":
            differs = (decl.values, decl.label) != (first.values, first.label)
            problem, severity = "source-defined-twice", VIOLATION if differs else WARNING
            message = f"source {decl.label or var} is defined again (first at {where})" + (
                " with different values; keep one definition" if differs else "; remove the copy")
        else:
            problem, severity = "variable-assigned-twice", WARNING
            message = f"variable {var} is assigned again (first at {where}); the model keeps only the last"
        models.files[key].diagnostics.append(Diagnostic(decl.line, problem, message, severity, about=var))


def _duplicate_containment(models: Models) -> None:
    seen: dict[tuple, tuple] = {}
    for key, fragment in models.files.items():
        for link in fragment.links:
            if link.kind != "contains":
                continue
            pair = (models.sources.get(link.a, link.a), link.b)
            if pair in seen:
                first_key, first_line = seen[pair]
                fragment.diagnostics.append(Diagnostic(
                    link.line, "duplicate-containment", f"code {link.b} is listed twice for source {pair[0]} "
                    f"(first at {first_key}:{first_line})", WARNING, about=link.b))
            else:
                seen[pair] = (key, link.line)


def emit(fragment: Fragment, out: FileEmitter) -> dict:
    """Write one model file's records; returns counts for the load summary."""
    sources = set()
    for decl in fragment.declarations:
        out.declaration(decl)
        if decl.metaclass == "source":
            sources.add(decl.label or decl.var)
    for link in fragment.links:
        out.link(link)
    for diag in fragment.diagnostics:
        out.diagnostic(diag)
    codes = {d.var for d in fragment.declarations if d.metaclass not in ("source", "reference")}
    return {"sources": sources, "codes": codes, "excerpts": 0}
