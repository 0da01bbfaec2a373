"""Reading statements: the interpreter that walks a fragment's `ast` statements in order (assignments, loops it
can unroll, imports, listings of codes) and hands expressions to the evaluator (`values.py`) and CodeableModels
calls to `api.py`. What stops a statement becomes its diagnostic, and the next statement is read as usual.
"""

import ast

from gtkg.loaders.codeable import api
from gtkg.loaders.codeable.associations import snake, vocab
from gtkg.loaders.codeable.limits import MAX_PROBLEMS, MAX_UNROLLED, LimitExceeded
from gtkg.loaders.codeable.listings import read_listing
from gtkg.loaders.codeable.pyvalues import Module, Obj, PyDict, Unknown, Unsupported
from gtkg.loaders.codeable.source import split_statements
from gtkg.loaders.codeable.state import Env, Reading
from gtkg.loaders.codeable.syntax import (
    LINK_CALLS,
    METAMODEL_CALLS,
    callee,
    calls_in,
    creates,
    declares_in_parallel,
    is_cclass,
    loop_of_calls,
    suspicious_call,
)
from gtkg.loaders.codeable.values import Values
from gtkg.loaders.records import INFO, WARNING, Diagnostic, Fragment, Link, Listing

COMPOUND = {ast.For: "loop", ast.AsyncFor: "loop", ast.While: "loop", ast.If: "conditional block",
            ast.With: "with block", ast.AsyncWith: "with block", ast.Try: "try block",
            ast.ClassDef: "class definition"}


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
    StatementReader(Reading(fragment, env, lines or [], first_line)).run(statements)
    return fragment


class StatementReader:
    """Turns the statements of one `Reading` into its records."""

    def __init__(self, reading: Reading):
        self.reading, self.env = reading, reading.env
        self.values = Values(reading)

    def run(self, statements: list[ast.stmt]) -> None:
        reading = self.reading
        for node in statements:
            reading.begin(node)
            self.read(node)
            reading.finish(node)

    def read(self, node: ast.stmt) -> None:
        """Read one statement; what stops it becomes its diagnostic."""
        reading = self.reading
        made = reading.made()
        try:
            self.statement(node)
        except LimitExceeded as exc:
            reading.over_limit(str(exc), made)
        except Unsupported as exc:
            reading.report(str(exc), problem=exc.problem)
        except RecursionError:
            reading.report("this statement is nested too deeply to read")
        except MemoryError:
            reading.report("gtkg ran out of memory reading this statement; it is not loaded")
        except Exception as exc:  # never crash on input: report what broke and keep reading
            reading.report(f"gtkg could not read this statement ({type(exc).__name__}: {exc})",
                           problem="unreadable-statement")

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
            self.reading.fragment.imports.append((node.module or "", [alias.name for alias in node.names],
                                                  node.lineno))
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
            self.reading.problem(f"function {node.name}() creates codes or links; gtkg does not run functions, so "
                                 "calls to it are reported where they occur", INFO, "ignored-statement")
        else:
            self.reading.problem(f"function {node.name}() is not interpreted (definitions are never run)", INFO,
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
        self.reading.problem(f"{what} ignored: it only adjusts existing elements (e.g. metaclasses)", INFO,
                             "ignored-statement")

    def unrolled(self, node: ast.stmt) -> bool:
        """Run a loop as Python would when that is known statically: a `for` over a list (written out or a list
        variable) or a dict's keys, whose body only calls CodeableModels to link elements, once per item with
        the loop variable bound to it. Loops that declare elements, assign, branch or iterate over anything
        else stay unsupported."""
        if not (loop_of_calls(node) and not any(is_cclass(call) for call in calls_in(node))
                and suspicious_call(node, self.env.names, self.env.functions) is None):
            return False
        try:
            items = self.values.value(node.iter)
        except Unsupported:
            return False
        if isinstance(items, PyDict):
            items = [key for key, _, _ in items.items()]
        if not isinstance(items, list):
            return False
        reading = self.reading
        budget = reading.budget
        reading.spend(len(items))
        if budget.unrolled + len(items) * len(node.body) > MAX_UNROLLED:
            raise LimitExceeded(f"loop too long: this loop nest would run more than {MAX_UNROLLED:,} statements; "
                                "gtkg stops unrolling it")
        outer = reading.line
        try:
            for item in items:
                self.env.names[node.target.id] = item  # as Python binds it: no assignment of its own to report
                for statement in node.body:
                    budget.unrolled += 1
                    reading.spend(1)
                    reading.line = statement.lineno
                    self.statement(statement)
        finally:
            reading.line = outer
        return True

    def assign(self, targets: list[ast.expr], value: ast.expr) -> None:
        if len(targets) == 1 and declares_in_parallel(targets[0], value):
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
            api.declaration(self.values, names[0], value)
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
            self.env.names[name] = Unknown("a value over gtkg's limits", self.reading.line)
        if not names:
            return exc
        said = f"{', '.join(names)} {'is' if len(names) == 1 else 'are'}"
        return LimitExceeded(f"{exc}, and {said} unknown from here on")

    def parallel(self, names: list[ast.Name], values: list[ast.expr]) -> None:
        """`a, b = CClass(...), x`: Python computes the right side first, then binds each name in turn."""
        computed = [None if is_cclass(value) else self.value_of_assignment(value) for value in values]
        for name, value, result in zip(names, values, computed, strict=True):
            if is_cclass(value):
                api.declaration(self.values, name.id, value)
            else:
                self.bind_name(name.id, result)

    def value_of_assignment(self, value: ast.expr):
        """The value to bind; data gtkg does not compute (views, comprehensions) binds quietly as unknown."""
        try:
            return self.values.value(value)
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
        value = self.values.value
        if isinstance(target, ast.Attribute):
            return api.set_attribute(self.reading, value(target.value), snake(target.attr), result)
        if isinstance(target, ast.Subscript):
            container = value(target.value)
            if isinstance(container, PyDict):
                container.set(value(target.slice), result, target.lineno)
                return None
            if isinstance(container, Unknown):
                return None
            raise Unsupported("an assignment to a computed name (e.g. globals()[...]) cannot be resolved "
                              "statically; assign a plain variable")
        raise Unsupported(f"an assignment to a {type(target).__name__} cannot be read statically")

    def bind_name(self, var: str, result) -> None:
        reading = self.reading
        if isinstance(result, list):
            reading.spend(len(result))  # the checks below, and the copy of a list's names, read every item
        if isinstance(result, Link):
            what = "link"
            result.var = result.var or var
        elif isinstance(result, list) and result and all(isinstance(item, Link) for item in result):
            what = "link"
            for link in result:
                link.var = link.var or var
        elif isinstance(result, list) and result and all(isinstance(item, Obj) for item in result):
            what = "list"
            reading.fragment.lists[var] = ([item.var for item in result], reading.line)
        else:
            what = "alias" if isinstance(result, Obj) else "unknown" if isinstance(result, Unknown) \
                or result is None else "data"
        if not (isinstance(result, Obj) and result.var == var):
            self.env.assignments.append((var, what, reading.line, reading.fragment, None))
        self.env.names[var] = result

    def augmented(self, node: ast.AugAssign) -> None:
        if not isinstance(node.target, ast.Name) or not isinstance(node.op, ast.Add):
            raise Unsupported("only `name += ...` on lists and strings can be read statically")
        name, values = node.target.id, self.values
        try:
            current, addition = values.peek(name), values.value(node.value)
            if isinstance(current, list) and isinstance(addition, list):
                return values.grow(current, addition)  # in place, as Python does
            if isinstance(current, str) and isinstance(addition, str):
                self.env.names[name] = values.joined(current, addition)
                return None
        except LimitExceeded as exc:
            raise self.unknown_from_here([name], exc) from None
        if not isinstance(current, Unknown):
            raise Unsupported(f"`{name} += ...` cannot be resolved statically")
        return None

    def expression(self, value: ast.expr) -> None:
        fragment, line = self.reading.fragment, self.reading.line
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return self.docstring(value)
        if isinstance(value, ast.Name | ast.Tuple):
            listed = self.listed(value)
            fragment.listings.append(Listing([name for name, _ in listed], line, [at for _, at in listed]))
            return None
        if isinstance(value, ast.Call | ast.Subscript):
            self.values.value(value)
            return None
        raise Unsupported(f"a {type(value).__name__} expression is not a CodeableModels statement")

    def docstring(self, node: ast.Constant) -> None:
        """A string statement lists codes when some line of it holds names (each name at its own line); a string
        of prose is a comment. Its other lines are reported, each at its line with its text."""
        text, reading = node.value, self.reading
        # the lines of the value are those of the file, unless escapes or joined strings hide line breaks
        exact = (getattr(node, "end_lineno", None) or node.lineno) - node.lineno == text.count("\n")
        found = read_listing(text, node.lineno)
        if not found.names:
            return
        reading.fragment.listings.append(Listing(found.names, reading.line, found.lines if exact else []))
        reading.spend(len(found.problems))
        rows = text.split("\n")
        for line, problem, message in found.problems[:MAX_PROBLEMS]:
            reading.fragment.diagnostics.append(Diagnostic(line if exact else node.lineno, problem, message,
                                                           WARNING, rows[line - node.lineno].strip()))
        if len(found.problems) > MAX_PROBLEMS:
            reading.problem(f"{len(found.problems) - MAX_PROBLEMS:,} more lines of this code list are not code "
                            "names", problem="not-a-name")

    def listed(self, node: ast.expr) -> list[tuple[str, int]]:
        """Code variables named by bare names, with their lines (a list variable stands for its elements)."""
        if isinstance(node, ast.Tuple):
            return [pair for element in node.elts for pair in self.listed(element)]
        if isinstance(node, ast.Name):
            value = self.values.lookup(node.id)
            if isinstance(value, list):
                self.reading.spend(len(value))
                return [(item.var, node.lineno) for item in value if isinstance(item, Obj)]
            return [(value.var if isinstance(value, Obj) else node.id, node.lineno)]
        raise Unsupported("a listing of something other than variables")
