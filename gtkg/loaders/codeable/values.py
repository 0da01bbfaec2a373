"""Values of expressions in model statements: names, lists, dicts, strings, calls and their results.

An expression is computed as running it would compute it (a dict keeps the last value of a repeated key, `+=`
grows a list in place, `x[0]` takes the first link), except that nothing is ever run: calls are read only when
they are CodeableModels calls (handed to `api.py`) or harmless (views, builtins).
"""

import ast
import re

from gtkg.loaders.codeable import api
from gtkg.loaders.codeable.associations import snake, vocab
from gtkg.loaders.codeable.limits import INT_LIMIT, MAX_DIGITS, MAX_ITEMS, MAX_TEXT, too_large
from gtkg.loaders.codeable.lookahead import Deferred
from gtkg.loaders.codeable.pyvalues import Module, Obj, PyDict, Unknown, Unsupported, show
from gtkg.loaders.codeable.state import Reading
from gtkg.loaders.codeable.syntax import HARMLESS, MODEL_METHODS, callee, dotted
from gtkg.loaders.records import INFO, Link
from gtkg.loaders.records import MAX_TEXT as LONGEST_TEXT  # of a string written out in the model

SURROGATE = re.compile("[\ud800-\udfff]")  # half of a UTF-16 pair: a str can hold one (`'\\ud800'`), UTF-8 cannot


class Values:
    """Computes the values of expressions while `reading` reads a statement, within the limits of `limits.py`:
    its budget pays for the work, its diagnostics say what could not be computed. CodeableModels calls are read
    by the functions of `api.py`, which receive this evaluator."""

    def __init__(self, reading: Reading):
        self.reading, self.env = reading, reading.env

    def value(self, node: ast.expr):
        budget = self.reading.budget  # one step per expression (see limits.py), spent inline: the hot path
        budget.left -= 1
        if budget.left < 0:
            raise budget.exceeded()
        kind = type(node)
        if kind is ast.Constant:
            return self.constant(node)
        if kind is ast.Name:
            return self.lookup(node.id)
        if kind is ast.List or kind is ast.Tuple or kind is ast.Set:
            return self.sequence(node.elts)
        if kind is ast.Dict:
            return self.mapping(node)
        if kind is ast.Call:
            return self.call(node)
        if kind is ast.Subscript:
            return self.subscript(node)
        if kind is ast.BinOp:
            return self.binop(node)
        if kind is ast.Attribute:
            owner = self.value(node.value)
            return Module(f"{owner.name}.{node.attr}") if isinstance(owner, Module) else \
                Unknown(f"the attribute {dotted(node)}", node.lineno)
        if kind is ast.JoinedStr:
            raise Unsupported("an f-string is computed when the model runs; write the text out", quiet=True)
        raise Unsupported(f"a {kind.__name__} expression cannot be resolved statically", quiet=True)

    def constant(self, node: ast.Constant):
        value = node.value
        if value.__class__ is str:
            if len(value) > LONGEST_TEXT:
                self.reading.problem(f"this string is {len(value):,} characters long; only its first "
                                     f"{LONGEST_TEXT:,} are kept as the value", problem="long-text", line=node.lineno)
                value = value[:LONGEST_TEXT]
            return value if value.isascii() or not SURROGATE.search(value) else self.without_surrogates(node, value)
        if value.__class__ is int and not -INT_LIMIT < value < INT_LIMIT:
            return Unknown(f"an integer of more than {MAX_DIGITS:,} digits", node.lineno)
        return value

    def without_surrogates(self, node: ast.Constant, value: str) -> str:
        self.reading.problem("this string holds a lone surrogate (an escape such as \\ud800, half of a UTF-16 "
                             "pair), which UTF-8 cannot encode; it is loaded with U+FFFD in its place: write the "
                             "character itself", problem="encoding", line=node.lineno)
        return SURROGATE.sub("\ufffd", value)

    def grow(self, target: list, items: list) -> None:
        """`target.extend(items)`, within the limits."""
        self.room(target, len(items))
        target.extend(items)

    def room(self, target: list, more: int) -> None:
        if len(target) + more > MAX_ITEMS:
            raise too_large("list", MAX_ITEMS, "items")
        self.reading.spend(more)

    def joined(self, left, right):
        """`left + right` of two strings or two lists, within the limits."""
        size = len(left) + len(right)
        if isinstance(left, str) and size > MAX_TEXT:
            raise too_large("string", MAX_TEXT, "characters")
        if isinstance(left, list) and size > MAX_ITEMS:
            raise too_large("list", MAX_ITEMS, "items")
        self.reading.spend(size)
        return left + right

    def lookup(self, name: str):
        self.env.used.add(name)
        return self.peek(name)

    def peek(self, name: str):
        """The value of a name without counting it as used (growing a list does not link it)."""
        env = self.env
        if name in env.names:
            return env.names[name]
        node = env.fallback.get(name)
        if node is not None and name not in env.resolving:
            node = node.parse() if isinstance(node, Deferred) else node
            env.resolving.add(name)
            try:
                return self.value(node)
            except Unsupported as exc:
                return Unknown(str(exc), node.lineno)
            finally:
                env.resolving.discard(name)
        return Obj(vocab(name))

    def sequence(self, elements: list[ast.expr]) -> list:
        out = []
        for element in elements:
            if isinstance(element, ast.Starred):
                items = self.value(element.value)
                if not isinstance(items, list):
                    raise Unsupported("a starred value that is not a list", quiet=True)
                self.grow(out, items)
            else:
                out.append(self.value(element))
        return out

    def mapping(self, node: ast.Dict) -> PyDict:
        result = PyDict()
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            if key_node is None:
                other = self.value(value_node)
                if not isinstance(other, PyDict):
                    raise Unsupported("a ** entry that is not a dict", quiet=True)
                self.merge(result, other)
                continue
            key = self.value(key_node)
            if result.set(key, self.value(value_node), key_node.lineno):
                self.reading.problem(f"key {show(key)} appears twice in this dict; Python keeps only its last "
                                     "value, so the earlier entry is lost when the model runs", problem="duplicate-key",
                                     line=key_node.lineno, about=key.var if isinstance(key, Obj) else None)
        return result

    def merge(self, target: PyDict, other: PyDict) -> None:
        """`target.update(other)`, within the limits."""
        if len(target) + len(other) > MAX_ITEMS:
            raise too_large("dict", MAX_ITEMS, "entries")
        self.reading.spend(len(other))
        for key, value, line in other.items():
            target.set(key, value, line)

    def subscript(self, node: ast.Subscript):
        container, index = self.value(node.value), self.value(node.slice)
        if isinstance(container, Unknown):
            return container
        try:
            if isinstance(container, list) and isinstance(index, int) and not isinstance(index, bool):
                return container[index]
            if isinstance(container, PyDict):
                return container.get(index)
        except (IndexError, KeyError) as exc:
            raise Unsupported(f"the index {show(index)} is not there ({len(container)} items); CodeableModels "
                              "fails here") from exc
        raise Unsupported("a subscript gtkg cannot resolve statically", quiet=True)

    def binop(self, node: ast.BinOp):
        left, right = self.value(node.left), self.value(node.right)
        if isinstance(node.op, ast.Add) and (isinstance(left, str) and isinstance(right, str)
                                             or isinstance(left, list) and isinstance(right, list)):
            return self.joined(left, right)
        raise Unsupported("an operation other than joining strings or lists", quiet=True)

    def call(self, node: ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            growing = isinstance(func.value, ast.Name) and func.attr in ("append", "extend", "insert", "remove")
            owner = self.peek(func.value.id) if growing else self.value(func.value)
            return self.method(node, snake(func.attr), owner)
        if not isinstance(func, ast.Name):
            self.value(func)
            raise Unsupported("a call of a computed function is not a CodeableModels statement; it was not run")
        name = callee(node)
        handler = api.call_handler(func.id, name, self.env.functions)
        if handler is not None:
            return handler(self, node)
        local = self.env.functions.get(func.id)
        if local == "creates":
            raise Unsupported(f"{func.id}() is a function of the model that creates codes or links; gtkg does not "
                              "run functions; write its statements out")
        if local == "harmless" or func.id in HARMLESS:
            return Unknown(f"the result of {func.id}()", node.lineno)
        raise Unsupported(f"call of {func.id}() is not a CodeableModels statement gtkg reads; it was not run")

    def method(self, node: ast.Call, name: str, owner):
        if isinstance(owner, Module):
            if owner.name == "sys.path":  # model files often extend the import path of the metamodels
                self.reading.problem("sys.path is not changed: gtkg imports nothing", INFO, "ignored-statement")
                return None
            raise Unsupported(f"call of {owner.name}.{node.func.attr}() is not a CodeableModels statement; it was "
                              "not run")
        if isinstance(owner, Unknown | str | int | float):
            return Unknown(f"the result of {node.func.attr}()", node.lineno)
        if isinstance(owner, list | PyDict) and name in ("append", "extend", "insert", "remove", "update",
                                                         "keys", "values", "items", "copy", "index", "count"):
            return self.data_method(node, name, owner)
        if isinstance(owner, Obj | Link):
            handler = api.method_handler(name)
            if handler is not None:
                return handler(self, node, owner)
            if name in MODEL_METHODS:
                return Unknown(f"the result of {node.func.attr}()", node.lineno)
        raise Unsupported(f"call of {dotted(node.func)}() is not a CodeableModels statement gtkg reads; it was "
                          "not run")

    def data_method(self, node: ast.Call, name: str, owner):
        args = [self.value(arg) for arg in node.args]
        if isinstance(owner, list) and name in ("append", "extend", "insert", "remove") and args:
            if name == "append":
                self.grow(owner, args[:1])
            elif name == "extend" and isinstance(args[0], list):
                self.grow(owner, args[0])
            elif name == "insert" and len(args) == 2 and isinstance(args[0], int):
                self.room(owner, 1)
                owner.insert(args[0], args[1])
            elif name == "remove":
                self.reading.spend(10 * len(owner))  # shows every item
                owner[:] = [item for item in owner if show(item) != show(args[0])]
            return None
        if isinstance(owner, PyDict) and name == "update" and args and isinstance(args[0], PyDict):
            self.merge(owner, args[0])
            return None
        return Unknown(f"the result of {name}()", node.lineno)
