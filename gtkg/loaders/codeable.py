"""Read CodeableModels statements statically: `ast` nodes in, plain records out. Nothing is executed.

Statements are interpreted in order over a small value domain (model elements by variable, links, lists,
dicts, strings), so list and dict variables, aliases and `[0]` on add_links results mean what they mean when
the model runs; link kinds and directions follow the metamodel associations (`associations.py`). What cannot
be resolved becomes a diagnostic with its line and raw text, and the rest of the statement still loads.

>>> frag = interpret_text('''
... on_demand = CClass(force, "On-Demand")
... add_force_relations({triggering: {on_demand: positive}})
... x = a.add_links(b, role_name="from", stereotype_instances=can_use)[0]
... ''')
>>> frag.declarations[0].var, frag.declarations[0].label, frag.declarations[0].line
('on_demand', 'On-Demand', 2)
>>> [(link.kind, link.a, link.b, link.stereotypes, link.var) for link in frag.links]
[('impact', 'triggering', 'on_demand', ('positive',), None), ('dependency', 'b', 'a', ('can_use',), 'x')]
"""

import ast
import re

from gtkg.loaders.associations import resolve, snake, vocab
from gtkg.loaders.codeable_api import METAMODEL_CALLS, ApiMixin, Unsupported, add_tags
from gtkg.loaders.codeable_values import ValuesMixin
from gtkg.loaders.limits import LOAD_RESERVE_STEPS, MAX_PROBLEMS, MAX_UNROLLED, RECORD_STEPS, Budget, LimitExceeded
from gtkg.loaders.python_source import split_statements
from gtkg.loaders.pyvalues import (
    LINK_CALLS,
    Module,
    Obj,
    PyDict,
    Unknown,
    callee,
    calls_in,
    creates,
    suspicious_call,
)
from gtkg.loaders.records import INFO, WARNING, Declaration, Diagnostic, Fragment, Link, Listing

# Names separated by commas or line breaks; words separated by spaces on one line are prose.
IDENTIFIER_LIST = re.compile(r"^[\s,]*[A-Za-z_]\w*(?:[ \t]*(?:,|\n)[\s,]*[A-Za-z_]\w*)*[\s,]*$")
COMPOUND = {ast.For: "loop", ast.AsyncFor: "loop", ast.While: "loop", ast.If: "conditional block",
            ast.With: "with block", ast.AsyncWith: "with block", ast.Try: "try block",
            ast.ClassDef: "class definition"}


class Env:
    """What is known while interpreting: names and their values, shared by all files of one load."""

    def __init__(self):
        self.names: dict[str, object] = {}
        self.fallback: dict[str, ast.expr] = {}  # last plain-data assignment of each name in the whole load
        self.metaclasses: dict[str, str] = {}  # variable -> metaclass of its CClass
        self.functions: dict[str, str] = {}  # function defined in the input -> forces | creates | harmless
        self.declarations: dict[str, Declaration] = {}  # latest declaration of each variable
        self.used: set[str] = set()  # names read by some statement
        self.assignments: list = []  # (variable, what, line, fragment, declaration), for redefinitions
        self.coded_links: dict[int, str] = {}  # id(link) -> variable under which a source lists the link
        self.resolving: set[str] = set()
        self.reserve = LOAD_RESERVE_STEPS  # steps statements may still borrow beyond their own (limits.py)

    def prepare(self, statements: list[ast.stmt]) -> None:
        """Look ahead: metaclasses of declarations, functions, and data assignments (for forward references)."""
        for node in statements:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
                if isinstance(target, ast.Name):
                    if _is_cclass(value):
                        self.declared(target.id, value)
                    elif _plain_data(value):
                        self.fallback[target.id] = value
                elif _declares_in_parallel(target, value):
                    for name, part in zip(target.elts, value.elts, strict=True):
                        if _is_cclass(part):
                            self.declared(name.id, part)
            elif isinstance(node, ast.FunctionDef):
                self.functions[node.name] = _function_kind(node)

    def declared(self, var: str, call: ast.Call) -> None:
        """The metaclass of a declaration, known before the statements run (links may name it earlier)."""
        if call.args and isinstance(call.args[0], ast.Name):
            self.metaclasses.setdefault(var, vocab(call.args[0].id))


def interpret_text(text: str, first_line: int = 1, env: Env | None = None) -> Fragment:
    """Parse and interpret one piece of Python (a fence or a whole file)."""
    statements, diagnostics = split_statements(text, first_line)
    env = env if env is not None else Env()
    env.prepare(statements)
    fragment = interpret(statements, env, text.split("\n"), first_line)
    fragment.diagnostics[:0] = diagnostics
    return fragment


def interpret(statements: list[ast.stmt], env: Env, lines: list[str] | None = None, first_line: int = 1,
              fragment: Fragment | None = None) -> Fragment:
    """Interpret statements in order; `lines` (the text they come from) gives diagnostics their raw text."""
    fragment = fragment if fragment is not None else Fragment()
    _Reader(fragment, env, lines or [], first_line).run(statements)
    return fragment


class _Reader(ValuesMixin, ApiMixin):
    """Turns statements into records of one fragment."""

    def __init__(self, fragment: Fragment, env: Env, lines: list[str], first_line: int):
        self.fragment, self.env, self.lines, self.first_line = fragment, env, lines, first_line
        self.problems: list = []
        self.dropped = 0  # problems of this statement over MAX_PROBLEMS, counted only
        self.line = first_line
        self.budget = Budget(0, env.reserve)

    def run(self, statements: list[ast.stmt]) -> None:
        for node in statements:
            self.problems, self.dropped, self.line = [], 0, node.lineno
            self.budget = Budget(self.own_size(node), self.env.reserve)
            self.read(node)
            self.env.reserve -= self.budget.spent_from_reserve()
            if self.dropped:
                self.report(f"{self.dropped:,} more diagnostics of this statement are not listed (gtkg keeps "
                            f"{MAX_PROBLEMS} per statement)", INFO, "limit-exceeded")
            for problem, message, severity, line, about in self.problems:
                self.fragment.diagnostics.append(self.diagnostic(node, problem, message, severity, line, about))

    def read(self, node: ast.stmt) -> None:
        """Read one statement; what stops it becomes its diagnostic, and the next statement is read as usual."""
        made = len(self.fragment.links), len(self.env.coded_links)
        try:
            self.statement(node)
        except LimitExceeded as exc:
            self.problems, self.dropped = [], 0
            self.report(str(exc) + self.undo(*made), problem="limit-exceeded")
        except Unsupported as exc:
            self.report(str(exc), problem=exc.problem)
        except RecursionError:
            self.report("this statement is nested too deeply to read")
        except MemoryError:
            self.report("gtkg ran out of memory reading this statement; it is not loaded")
        except Exception as exc:  # never crash on input: report what broke and keep reading
            self.report(f"gtkg could not read this statement ({type(exc).__name__}: {exc})",
                        problem="unreadable-statement")

    def own_size(self, node: ast.stmt) -> int:
        """Characters of a statement's own text, which its own allowance of steps is proportional to."""
        start, end = node.lineno, node.end_lineno or node.lineno
        if start == end and node.end_col_offset is not None:  # None: a one-liner built without ast.parse
            return node.end_col_offset - node.col_offset
        lines = self.lines[start - self.first_line:end - self.first_line + 1]
        return sum(map(len, lines)) + len(lines) if lines else 80 * (end - start + 1)

    def undo(self, links: int, coded: int) -> str:
        """Drop the links a statement made before it went over a limit; say so."""
        made = len(self.fragment.links) > links
        del self.fragment.links[links:]
        for key in list(self.env.coded_links)[coded:]:
            del self.env.coded_links[key]
        return ", and loads none of its links" if made else ""

    def spend(self, steps: int) -> None:
        budget = self.budget
        budget.left -= steps
        if budget.left < 0:
            raise budget.exceeded()

    def problem(self, message: str, severity: str = WARNING, problem: str = "unsupported-statement",
                line: int | None = None, about: str | None = None) -> None:
        """A diagnostic of the statement being read (a loop can repeat one: only MAX_PROBLEMS are kept)."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            self.spend(1)
            return
        self.spend(RECORD_STEPS)
        self.report(message, severity, problem, line, about)

    def report(self, message: str, severity: str = WARNING, problem: str = "unsupported-statement",
               line: int | None = None, about: str | None = None) -> None:
        self.problems.append((problem, message, severity, line, about))

    def diagnostic(self, node: ast.stmt, problem: str, message: str, severity: str, line: int | None,
                   about: str | None) -> Diagnostic:
        start, end = node.lineno, getattr(node, "end_lineno", None) or node.lineno
        text = "\n".join(self.lines[start - self.first_line:end - self.first_line + 1]).strip("\n")
        return Diagnostic(line=line or start, end_line=None if line else end, problem=problem, message=message,
                          severity=severity, text=text, about=about)

    # ------------------------------------------------------------------ statements

    def statement(self, node: ast.stmt) -> None:
        kind = type(node)
        if kind is ast.Assign:
            self.assign(node.targets, node.value)
        elif kind is ast.AnnAssign and node.value is not None:
            self.assign([node.target], node.value)
        elif kind is ast.AugAssign:
            self.augmented(node)
        elif kind is ast.Expr:
            self.expression(node.value)
        elif kind is ast.ImportFrom:
            self.fragment.imports.append((node.module or "", [alias.name for alias in node.names], node.lineno))
        elif kind is ast.Import:
            for alias in node.names:
                self.env.names[alias.asname or alias.name.split(".")[0]] = Module(alias.asname or alias.name)
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            self.function(node)
        elif kind is ast.If and "__main__" in ast.dump(node.test):
            return
        elif kind in COMPOUND:
            self.compound(node, COMPOUND[kind])
        elif kind is not ast.Pass:
            raise Unsupported(f"a {kind.__name__} statement cannot be read statically")

    def function(self, node) -> None:
        what = self.env.functions.get(node.name, "harmless")
        if what == "forces" or snake(node.name) in LINK_CALLS:
            return  # a copy of a metamodel helper: calls to it are read as the helper
        if what == "creates":
            self.problem(f"function {node.name}() creates codes or links; gtkg does not run functions, so calls "
                         "to it are reported where they occur", INFO, "ignored-statement")
        else:
            self.problem(f"function {node.name}() is not interpreted (definitions are never run)", INFO,
                         "ignored-statement")

    def compound(self, node: ast.stmt, what: str) -> None:
        if creates(node, self.env.functions):
            if self.unrolled(node):
                return
            raise Unsupported(f"a {what} that creates codes or links cannot be resolved statically; write its "
                              "statements out one by one")
        call = suspicious_call(node, self.env.names, self.env.functions)
        if call:
            raise Unsupported(f"a {what} calling {call}() is not a CodeableModels statement; it was not run")
        self.problem(f"{what} ignored: it only adjusts existing elements (e.g. metaclasses)", INFO,
                     "ignored-statement")

    def unrolled(self, node: ast.stmt) -> bool:
        """Run a loop as Python would when that is known statically: a `for` over a list (written out or a list
        variable) or a dict's keys, whose body only calls CodeableModels to link elements, once per item with
        the loop variable bound to it. Loops that declare elements, assign, branch or iterate over anything
        else stay unsupported."""
        if not (_loop_of_calls(node) and not any(_is_cclass(call) for call in calls_in(node))
                and suspicious_call(node, self.env.names, self.env.functions) is None):
            return False
        try:
            items = self.value(node.iter)
        except Unsupported:
            return False
        if isinstance(items, PyDict):
            items = [key for key, _, _ in items.items()]
        if not isinstance(items, list):
            return False
        budget = self.budget
        self.spend(len(items))
        if budget.unrolled + len(items) * len(node.body) > MAX_UNROLLED:
            raise LimitExceeded(f"loop too long: this loop nest would run more than {MAX_UNROLLED:,} statements; "
                                "gtkg stops unrolling it")
        outer = self.line
        try:
            for item in items:
                self.env.names[node.target.id] = item  # as Python binds it: no assignment of its own to report
                for statement in node.body:
                    budget.unrolled += 1
                    self.spend(1)
                    self.line = statement.lineno
                    self.statement(statement)
        finally:
            self.line = outer
        return True

    def assign(self, targets: list[ast.expr], value: ast.expr) -> None:
        if len(targets) == 1 and _declares_in_parallel(targets[0], value):
            return self.parallel(targets[0].elts, value.elts)
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        called = callee(value) if isinstance(value, ast.Call) else None
        if names and called in METAMODEL_CALLS:
            for name in names:  # a metamodel of the study is part of the input: its names stay names
                self.env.names[name] = Obj(vocab(name))
            return
        if called == "CClass":
            if not names:
                raise Unsupported("a CClass assigned to a computed name (globals()[...], setattr, ...) cannot be "
                                  "resolved statically; assign it to a plain variable")
            self.declaration(names[0], value)
            for alias in names[1:]:
                self.env.names[alias] = Obj(names[0])
            targets = [t for t in targets if not isinstance(t, ast.Name)]
            if not targets:
                return
        try:
            result = self.value_of_assignment(value)
            for target in targets:
                self.bind(target, result)
        except LimitExceeded as exc:
            raise self.unknown_from_here(names, exc) from None

    def unknown_from_here(self, names: list[str], exc: LimitExceeded) -> LimitExceeded:
        """Names whose value went over a limit are unknown (not an element of their name, nor an old value)."""
        for name in names:
            self.env.names[name] = Unknown("a value over gtkg's limits", self.line)
        if not names:
            return exc
        said = f"{', '.join(names)} {'is' if len(names) == 1 else 'are'}"
        return LimitExceeded(f"{exc}, and {said} unknown from here on")

    def parallel(self, names: list[ast.Name], values: list[ast.expr]) -> None:
        """`a, b = CClass(...), x`: Python computes the right side first, then binds each name in turn."""
        computed = [None if _is_cclass(value) else self.value_of_assignment(value) for value in values]
        for name, value, result in zip(names, values, computed, strict=True):
            if _is_cclass(value):
                self.declaration(name.id, value)
            else:
                self.bind_name(name.id, result)

    def value_of_assignment(self, value: ast.expr):
        """The value to bind; data gtkg does not compute (views, comprehensions) binds quietly as unknown."""
        try:
            return self.value(value)
        except Unsupported as exc:
            if not exc.quiet or creates(value, self.env.functions) or \
                    suspicious_call(value, self.env.names, self.env.functions):
                raise
            return Unknown(str(exc), value.lineno)

    def bind(self, target: ast.expr, result) -> None:
        if isinstance(target, ast.Name):
            return self.bind_name(target.id, result)
        if isinstance(target, ast.Tuple | ast.List):
            if not isinstance(result, list) or len(result) != len(target.elts):
                raise Unsupported("an unpacking assignment whose parts cannot be matched statically")
            for part, item in zip(target.elts, result, strict=True):
                self.bind(part, item)
            return None
        if isinstance(target, ast.Attribute):
            return self.set_attribute(self.value(target.value), snake(target.attr), result)
        if isinstance(target, ast.Subscript):
            container = self.value(target.value)
            if isinstance(container, PyDict):
                container.set(self.value(target.slice), result, target.lineno)
                return None
            if isinstance(container, Unknown):
                return None
            raise Unsupported("an assignment to a computed name (e.g. globals()[...]) cannot be resolved "
                              "statically; assign a plain variable")
        raise Unsupported(f"an assignment to a {type(target).__name__} cannot be read statically")

    def bind_name(self, var: str, result) -> None:
        if isinstance(result, list):
            self.spend(len(result))  # the checks below, and the copy of a list's names, read every item
        if isinstance(result, Link):
            what = "link"
            result.var = result.var or var
        elif isinstance(result, list) and result and all(isinstance(item, Link) for item in result):
            what = "link"
            for link in result:
                link.var = link.var or var
        elif isinstance(result, list) and result and all(isinstance(item, Obj) for item in result):
            what = "list"
            self.fragment.lists[var] = ([item.var for item in result], self.line)
        else:
            what = "alias" if isinstance(result, Obj) else "unknown" if isinstance(result, Unknown) \
                or result is None else "data"
        if not (isinstance(result, Obj) and result.var == var):
            self.env.assignments.append((var, what, self.line, self.fragment, None))
        self.env.names[var] = result

    def augmented(self, node: ast.AugAssign) -> None:
        if not isinstance(node.target, ast.Name) or not isinstance(node.op, ast.Add):
            raise Unsupported("only `name += ...` on lists and strings can be read statically")
        name = node.target.id
        try:
            current, addition = self.peek(name), self.value(node.value)
            if isinstance(current, list) and isinstance(addition, list):
                return self.grow(current, addition)  # in place, as Python does
            if isinstance(current, str) and isinstance(addition, str):
                self.env.names[name] = self.joined(current, addition)
                return None
        except LimitExceeded as exc:
            raise self.unknown_from_here([name], exc) from None
        if not isinstance(current, Unknown):
            raise Unsupported(f"`{name} += ...` cannot be resolved statically")
        return None

    def set_attribute(self, owner, attr: str, result) -> None:
        if isinstance(owner, Module):
            raise Unsupported(f"setting {owner.name}.{attr} is not a CodeableModels statement; it was not run")
        if attr == "stereotype_instances":
            self.set_stereotypes(owner, self.stereotypes_of(result))
        elif attr == "tagged_values" and isinstance(owner, Link):
            add_tags(owner, self.tagged_of(result))
        elif attr in ("values", "name") and isinstance(owner, Obj) and owner.var in self.env.declarations:
            decl = self.env.declarations[owner.var]
            if attr == "name":
                decl.label = result if isinstance(result, str) else decl.label
            else:
                decl.values.update(self.values_of(result))
        # other attributes (superclasses, descriptions, metaclass tweaks) carry nothing gtkg records

    def set_stereotypes(self, owner, stereotypes: tuple) -> None:
        if isinstance(owner, Link):
            owner.stereotypes = stereotypes
            if owner.kind == "other" and owner.role is None:
                self.reclassify(owner)
        elif isinstance(owner, Obj) and owner.var in self.env.declarations:
            self.env.declarations[owner.var].stereotypes = stereotypes
        elif isinstance(owner, list):
            raise Unsupported("stereotype_instances set on the list add_links returns (CodeableModels fails "
                              "here); take one link with [0]")

    def reclassify(self, link: Link) -> None:
        found = resolve(None, None, link.stereotypes, self.kind_of(link.a), self.kind_of(link.b))
        if found:
            link.kind = found[0].kind
            if not found[1]:
                link.a, link.b = link.b, link.a
            if link.kind == "option" and "name" in link.tagged:
                link.name = link.tagged.pop("name")

    def expression(self, value: ast.expr) -> None:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            if IDENTIFIER_LIST.match(value.value):
                self.fragment.listings.append(Listing(re.findall(r"[A-Za-z_]\w*", value.value), self.line))
            return  # prose docstrings are comments
        if isinstance(value, ast.Name | ast.Tuple):
            self.fragment.listings.append(Listing(self.listed(value), self.line))
            return
        if isinstance(value, ast.Call | ast.Subscript):
            self.value(value)
            return
        raise Unsupported(f"a {type(value).__name__} expression is not a CodeableModels statement")

    def listed(self, node: ast.expr) -> list[str]:
        """Code variables named by bare names (a list variable stands for its elements)."""
        if isinstance(node, ast.Tuple):
            return [name for element in node.elts for name in self.listed(element)]
        if isinstance(node, ast.Name):
            value = self.lookup(node.id)
            if isinstance(value, list):
                self.spend(len(value))
                return [item.var for item in value if isinstance(item, Obj)]
            return [value.var] if isinstance(value, Obj) else [node.id]
        raise Unsupported("a listing of something other than variables")


def _loop_of_calls(node: ast.stmt) -> bool:
    """`for name in ...:` over calls only (and such loops): nothing assigned, nothing skipped or branched."""
    return type(node) is ast.For and isinstance(node.target, ast.Name) and not node.orelse and all(
        type(statement) is ast.Expr and isinstance(statement.value, ast.Call) or type(statement) is ast.Pass
        or _loop_of_calls(statement) for statement in node.body)


def _is_cclass(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and callee(node) == "CClass"


def _declares_in_parallel(target: ast.expr, value: ast.expr) -> bool:
    """`a, b = CClass(...), CClass(...)`: names on the left, as many values on the right, a CClass among them."""
    return isinstance(target, ast.Tuple | ast.List) and isinstance(value, ast.Tuple | ast.List) \
        and len(target.elts) == len(value.elts) and all(isinstance(t, ast.Name) for t in target.elts) \
        and any(_is_cclass(v) for v in value.elts) and not any(isinstance(v, ast.Starred) for v in value.elts)


def _plain_data(node: ast.expr) -> bool:
    """Literal data: no call and no f-string anywhere in it."""
    if not isinstance(node, ast.List | ast.Tuple | ast.Dict | ast.Constant | ast.BinOp | ast.Set):
        return False
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.Call | ast.JoinedStr):
            return False
        if not isinstance(current, ast.Name | ast.Constant):  # below these leaves there is only a context
            todo.extend(ast.iter_child_nodes(current))
    return True


def _function_kind(node: ast.FunctionDef) -> str:
    """forces: the add_force_relations helper; creates: other code creating elements; harmless otherwise."""
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        if callee(call) == "add_links" and any(kw.arg in ("role_name", "roleName") and
                                               isinstance(kw.value, ast.Constant) and kw.value.value == "forces"
                                               for kw in call.keywords):
            return "forces"
    return "creates" if creates(ast.Module(body=node.body, type_ignores=[]), {}) else "harmless"
