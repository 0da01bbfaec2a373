"""CodeableModels model files, read with `ast` only (never imported or run).

`parse` interprets all model files of one load together, in import order and with one shared environment, so
names, list and dict variables resolve across them (`from pkg.sources import *`); then it looks for the
defects executing the model would hide or stumble on. `read` emits each file's records into its own graph.

>>> models = parse({"m.py": 's1 = CClass(source, "s1", values={"title": "A" + "B"})\\n'
...                         'add_links({s1: [x, x]}, role_name="contained_code")\\n'})
>>> [(d.problem, d.line) for d in models.files["m.py"].diagnostics]
[('duplicate-containment', 2)]
>>> models.files["m.py"].declarations[0].values
{'title': 'AB'}
"""

import hashlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from gtkg.loaders import Graph, InputFile, Study, cyclic_gc_paused, decode
from gtkg.loaders.codeable import Env
from gtkg.loaders.codeable.lookahead import lookahead
from gtkg.loaders.codeable.pieces import WHOLE, Restart, Split, imported
from gtkg.loaders.codeable.state import Reading
from gtkg.loaders.codeable.statements import StatementReader
from gtkg.loaders.emit import FileEmitter
from gtkg.loaders.records import INFO, VIOLATION, WARNING, Diagnostic, Fragment
from gtkg.ontology import GT, RDF

REFERENCE_METACLASSES = ("source", "reference")
PART_LINES = 20_000  # N-Quads lines of a model file's graph handed on at a time
KEPT_TREES_CHARS = 1_000_000  # model text whose syntax trees a first pass that parses keeps (about 60 MB)


@dataclass
class ModelFile(Fragment):
    """The records of one model file, plus what the load as a whole knows about its names."""

    key: str = ""
    references: dict = field(default_factory=dict)  # variable -> reference id (shared by all files)
    coded_links: dict = field(default_factory=dict)  # id(link) -> variable a source lists it as (shared)
    lines: list = field(default_factory=list, repr=False)  # the file's text, for the raw text of findings

    def found(self, line: int, problem: str, message: str, severity: str = WARNING, about: str | None = None):
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        self.diagnostics.append(Diagnostic(line, problem, message, severity, text=text.strip(), about=about))


@dataclass
class Models:
    files: dict = field(default_factory=dict)  # key -> ModelFile, in the order they were interpreted
    sources: dict = field(default_factory=dict)  # variable -> source id
    references: dict = field(default_factory=dict)  # variable -> reference id


def parse(texts: dict[str, str]) -> Models:
    """Interpret every model file (key -> text) of one load, dependencies (imports) first."""
    with cyclic_gc_paused():
        return _parse(texts)


def _parse(texts: dict[str, str], *, glancing: bool = True) -> Models:
    """Two passes over the model files: the first looks ahead (`Env.prepare`: what statements declare before
    they run; and the imports, which order the files), the second interprets each file's statements in import
    order. A long file's statements are parsed piece by piece (`pieces.py`), so its syntax trees never live at
    once, and its first pass only glances at it (`Split.glance`): the second checks the glance against the
    statements it parses, and when they differ (or the file must be read whole after all) everything is read
    again with a first pass that parses. Files read that way keep their trees between the passes while they are
    short in all (KEPT_TREES_CHARS), else they are parsed again."""
    env, splits, imports, kept, glanced, room = Env(), {}, {}, {}, {}, KEPT_TREES_CHARS
    for key, text in texts.items():
        split = splits[key] = Split(text)
        seen = split.glance() if glancing else None
        if seen is not None:
            env.learn(seen[0])
            imports[key], glanced[key] = seen[1], seen
            continue
        modules: dict[str, None] = {}  # in order; a second start of the pass repeats a prefix of them
        keep = split.mode == WHOLE or room >= len(text)  # else parsed again in the second pass: memory stays flat
        pieces = kept[key] = [] if keep else None
        for piece in split.pieces():
            env.prepare(piece.statements, piece.source)
            modules.update(dict.fromkeys(imported(piece.statements)))
            if keep:
                pieces.append(piece)
        room -= len(text) if keep else 0
        imports[key] = list(modules)
    models = Models()
    for key in import_order(imports):
        split = splits.pop(key)
        fragment = ModelFile(key=key, references=models.references, coded_links=env.coded_links,
                             lines=split.lines)
        reader = StatementReader(Reading(fragment, env, fragment.lines, 1))
        effects, modules = [], {}
        try:
            for piece in kept.pop(key, None) or split.pieces(start_over=False):
                if key in glanced:
                    effects += lookahead(piece.statements, piece.source)
                    modules.update(dict.fromkeys(imported(piece.statements)))
                reader.run(piece.statements)
        except Restart:
            return _parse(texts, glancing=False)
        if key in glanced and (effects, list(modules)) != glanced[key]:
            return _parse(texts, glancing=False)
        fragment.diagnostics[:0] = split.diagnostics
        models.files[key] = fragment
    _find_defects(models, env)
    return models


def import_order(imports: dict[str, list]) -> list[str]:
    """Keys ordered so that a file comes after the files of the load it imports from (cycles: given order);
    `imports` holds the modules each file imports from (`from pkg.module import ...`)."""
    stems = defaultdict(list)
    for key in imports:
        stems[key.rsplit("/", 1)[-1].removesuffix(".py")].append(key)
    edges = {key: [other for module in modules for other in stems.get(module.rsplit(".", 1)[-1], ())]
             for key, modules in imports.items()}
    order: list[str] = []
    seen: set[str] = set()
    for key in imports:
        if key not in seen:
            seen.add(key)
            _visit(key, edges, seen, order)
    return order


def _visit(key: str, imports: dict, seen: set, order: list) -> None:
    """Depth first: the files `key` imports from, then `key`. A stack, not recursion: a chain of imports can be
    longer than Python's recursion limit."""
    stack = [(key, iter(imports[key]))]
    while stack:
        current, pending = stack[-1]
        other = next((other for other in pending if other not in seen), None)
        if other is None:
            stack.pop()
            order.append(current)
        else:
            seen.add(other)
            stack.append((other, iter(imports[other])))


def _find_defects(models: Models, env: Env) -> None:
    for fragment in models.files.values():
        for decl in fragment.declarations:
            if decl.metaclass == "source":
                models.sources[decl.var] = decl.label or decl.var
            elif decl.metaclass == "reference":
                models.references[decl.var] = decl.label or decl.var
    _redefinitions(env)
    _duplicate_links(models, env)
    _unlinked_lists(models, env)
    _unloaded_imports(models, env)


def _redefinitions(env: Env) -> None:
    first: dict[str, tuple] = {}
    for var, what, line, fragment, now in env.assignments:
        if not isinstance(fragment, ModelFile) or what == "unknown":
            continue
        if var not in first:
            first[var] = (fragment, line, now)
            continue
        where = f"{first[var][0].key}:{first[var][1]}"
        before = first[var][2]
        if before and now and before.metaclass == now.metaclass == "source":
            differs = (before.values, before.label) != (now.values, now.label)
            fragment.found(line, "source-defined-twice", f"source {now.label or var} is defined again (first at "
                           f"{where})" + (" with different values; keep one definition" if differs else
                                          "; remove the copy"), VIOLATION if differs else WARNING, var)
        else:
            fragment.found(line, "variable-assigned-twice", f"variable {var} is assigned again (first at {where}); "
                           "statements after this line use the new value", about=var)


def _duplicate_links(models: Models, env: Env) -> None:
    """CodeableModels refuses to link one pair twice through one association: executing stops there. Unless a
    variable of the pair was assigned again in between: then it names a new element, whose links are its own."""
    order = {key: i for i, key in enumerate(models.files)}
    assigned = defaultdict(list)  # variable -> where it was assigned, as (file in order, line)
    for var, _, line, fragment, _ in env.assignments:
        if isinstance(fragment, ModelFile):
            assigned[var].append((order[fragment.key], line))
    for places in assigned.values():
        places.sort()
    seen: dict[tuple, tuple] = {}
    for key, fragment in models.files.items():
        for link in fragment.links:
            a = models.sources.get(link.a, link.a) if link.kind in ("contains", "cites") else link.a
            pair, here = (link.kind, a, link.b), (order[key], link.line)
            first = seen.get(pair)
            if first is None or any(_assigned_between(assigned.get(var, []), first[2], here)
                                    for var in (link.a, link.b)):
                seen[pair] = (key, link.line, here)
                continue
            where = f"{first[0]}:{first[1]}"
            listed = _list_listing_twice(models, fragment, link) if link.kind == "contains" else None
            if listed is not None:  # reported where the copy is written: the list
                var, holder, line = listed
                holder.found(line, "duplicate-containment", f"code {link.b} is listed twice in {var} for source {a}; "
                             f"CodeableModels stops the model where it is linked ({key}:{link.line}: 'trying to "
                             "link the same link twice'); remove the copy", about=link.b)
                continue
            if link.kind == "contains":
                problem, message = "duplicate-containment", f"code {link.b} is listed twice for source {a}"
            else:
                problem, message = "duplicate-link", f"the {link.kind} link {a} -> {link.b} is added twice"
            fragment.found(link.line, problem, f"{message} (first at {where}); CodeableModels stops the model here "
                           "('trying to link the same link twice'); remove the copy", about=link.b)


def _list_listing_twice(models: Models, fragment: ModelFile, link) -> tuple | None:
    """(variable, its file, its line) of the code list a containment link was made from, when that list holds
    the code twice: the list whose names are the codes the link's statement gave the source, in order."""
    made = [other.b for other in fragment.links if other.kind == "contains" and other.line == link.line
            and other.a == link.a]
    for holder in models.files.values():
        for var, (names, line) in holder.lists.items():
            if names == made and names.count(link.b) > 1:
                return var, holder, line
    return None


def _assigned_between(places: list, after: tuple, until: tuple) -> bool:
    """Whether a variable was assigned after one place and up to another (`places`: sorted)."""
    i = bisect_right(places, after)
    return i < len(places) and places[i] <= until


def _unlinked_lists(models: Models, env: Env) -> None:
    codes = {var for var, kind in env.metaclasses.items() if kind not in REFERENCE_METACLASSES}
    for fragment in models.files.values():
        for var, (names, line) in fragment.lists.items():
            if var not in env.used and names and (var.endswith("codes") or set(names) <= codes):
                fragment.found(line, "unlinked-code-list", f"the code list {var} is built but never linked to a "
                               "source; add it to an add_links(..., role_name=\"contained_code\") call")


def _unloaded_imports(models: Models, env: Env) -> None:
    """A name imported from a module that is not in the load and used as a code (`from map_models.apis import
    api`) is declared there, out of gtkg's sight: an info naming the module, not an undeclared code."""
    stems = {key.rsplit("/", 1)[-1].removesuffix(".py") for key in models.files}
    used = {end for fragment in models.files.values() for link in fragment.links for end in (link.a, link.b)}
    used |= {name for fragment in models.files.values() for names, _ in fragment.lists.values() for name in names}
    for fragment in models.files.values():
        for module, names, line in fragment.imports:
            if module.rsplit(".", 1)[-1] in stems:
                continue
            for name in names:
                if name in used and name not in env.metaclasses:
                    fragment.found(line, "import-not-loaded", f"{name} is imported from {module}, which is not loaded, "
                                   f"so gtkg cannot check it; load that module's file ({module.rsplit('.', 1)[-1]}"
                                   ".py) with the other model files", INFO, about=name)


def read(files: list[InputFile], study: Study) -> Iterator[Graph]:
    """The model files of one load, read together (names resolve across them), then emitted file by file, each
    in parts of at most PART_LINES lines; the sources they declare go into `study.sources` for the notes."""
    texts, sha256 = {}, {}
    for f in files:
        data = f.read()
        sha256[f.key] = hashlib.sha256(data).hexdigest()
        texts[f.key] = decode(data)[0]
        del data
    models = parse(texts)
    del texts
    study.sources.update(models.sources)
    for f in files:
        out = FileEmitter(study.minter, f.key, "model", sha256[f.key], sources=dict(models.sources),
                          references=models.references)
        counts: dict = {}
        for lines in emit_parts(models.files.pop(f.key), out, counts):
            yield Graph(out.file, lines, f, final=False)
        yield Graph(out.file, out.out.take(), f, counts["sources"], counts["codes"], 0, out.count("diagnostic"))


def emit_parts(fragment: ModelFile, out: FileEmitter, counts: dict) -> Iterator[list[str]]:
    """Write one model file's records, yielding the lines written so far every PART_LINES lines (the lines of
    the last part stay in `out`); fills in `counts` for the load summary at the end."""
    writer = out.out
    sources = set()
    for decl in fragment.declarations:
        out.declaration(decl)
        if decl.metaclass == "source":
            sources.add(decl.label or decl.var)
        if len(writer.lines) >= PART_LINES:
            yield writer.take()
    for link in fragment.links:
        node = out.link(link)
        var = fragment.coded_links.get(id(link))
        if var is not None:  # a source lists this link as one of its codes (the coding metamodel allows it)
            code = out.ref(var)
            out.add(node, GT.codedAs, code)
            out.add(code, RDF.type, GT.Code)
            out.add(code, GT.variable, var)
        if len(writer.lines) >= PART_LINES:
            yield writer.take()
    for diag in fragment.diagnostics:
        out.diagnostic(diag)
    codes = {d.var for d in fragment.declarations if d.metaclass not in REFERENCE_METACLASSES}
    counts.update(sources=sources, codes=codes, excerpts=0)
