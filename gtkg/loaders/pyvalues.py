"""The small value domain in which model statements are interpreted, and static checks on unread code.

Nothing here runs input: values are computed from `ast` nodes by `codeable`, and the checks only walk trees.

>>> d = PyDict()
>>> d.set(Obj("a"), 1, 3), d.set(Obj("b"), 2, 4), d.set(Obj("a"), 5, 6)
(False, False, True)
>>> [(k.var, v, line) for k, v, line in d.items()]
[('a', 5, 6), ('b', 2, 4)]
"""

import ast
import reprlib

from gtkg.loaders.associations import snake
from gtkg.loaders.limits import MAX_SHOWN
from gtkg.loaders.records import Link

# The CodeableModels calls gtkg interprets (snake_case; camelCase spellings are normalised first).
LINK_CALLS = {"add_links", "set_links", "add_decision_option_link", "add_force_relations",
              "add_stereotyped_design_solution_link", "add_stereotyped_link_with_how_tagged_value",
              "add_stereotyped_link_with_role_tagged_value", "set_tagged_value", "delete_links"}
CREATING_CALLS = LINK_CALLS | {"CClass"}
# Calls that build views or metamodels, or plain builtins: nothing for gtkg to read, nothing dangerous.
HARMLESS = {"CBundle", "CMetaclass", "CStereotype", "CEnum", "CObject", "CAssociation", "print", "len", "range",
            "list", "dict", "set", "tuple", "str", "sorted", "enumerate", "zip", "isinstance", "render",
            "generate", "PlantUMLGenerator", "Path"}
MODEL_METHODS = {"get_connected_elements", "association", "get_linked", "get_links", "get_links_for_association",
                 "get_value", "get_tagged_value", "get_objects", "get_opposite_object", "render", "delete_links",
                 "class_object", "all_classes", "get_elements", "instance_of", "is_classifier_of_type"}


class Obj:
    """A model element (or a metamodel name such as `practice`), known by the variable that names it."""

    __slots__ = ("var",)

    def __init__(self, var: str):
        self.var = var

    def __repr__(self) -> str:
        return f"Obj({self.var})"


class Unknown:
    """A value gtkg does not compute (a view, a comprehension, a computed string): harmless until needed."""

    __slots__ = ("reason", "line")

    def __init__(self, reason: str, line: int | None = None):
        self.reason, self.line = reason, line

    def describe(self) -> str:
        return self.reason + (f" (line {self.line})" if self.line else "")


class Module:
    """A name bound by `import`: calls on it are reported, never run."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class PyDict:
    """A dict as Python builds it: a repeated key keeps its first position and its last value."""

    __slots__ = ("_keys", "_values", "_lines", "_index")

    def __init__(self):
        self._keys, self._values, self._lines, self._index = [], [], [], {}

    def set(self, key, value, line: int | None = None) -> bool:
        """Store a value; True when the key was already there (its value is replaced)."""
        identity = identity_of(key)
        position = self._index.get(identity)
        if position is None:
            self._index[identity] = len(self._keys)
            self._keys.append(key)
            self._values.append(value)
            self._lines.append(line)
            return False
        self._values[position] = value
        self._lines[position] = line
        return True

    def get(self, key):
        position = self._index.get(identity_of(key))
        if position is None:
            raise KeyError(key)
        return self._values[position]

    def items(self) -> list:
        return list(zip(self._keys, self._values, self._lines, strict=True))

    def __len__(self) -> int:
        return len(self._keys)


def identity_of(value):
    """What makes two dict keys the same key: the variable of an element, the link object, a constant."""
    if isinstance(value, Obj):
        return ("obj", value.var)
    if isinstance(value, str | int | float | bool) or value is None:
        return ("const", value)
    return ("id", id(value))


def callee(call: ast.Call) -> str:
    """The called name (`f` of `f(..)` and `x.f(..)`), snake_case; "" for computed callees."""
    func = call.func
    if isinstance(func, ast.Name):
        return snake(func.id)
    if isinstance(func, ast.Attribute):
        return snake(func.attr)
    return ""


def calls_in(node: ast.AST):
    return (n for n in ast.walk(node) if isinstance(n, ast.Call))


def creates(node: ast.AST, functions: dict) -> bool:
    """Whether code (not interpreted) would create model elements or links when run."""
    return any(callee(call) in CREATING_CALLS or functions.get(callee(call)) in ("creates", "forces")
               for call in calls_in(node))


def suspicious_call(node: ast.AST, names: dict, functions: dict) -> str | None:
    """The first call in code (not interpreted) that is neither CodeableModels nor harmless, e.g. `os.system`."""
    for call in calls_in(node):
        func = call.func
        if isinstance(func, ast.Name):
            if func.id not in HARMLESS and callee(call) not in CREATING_CALLS and func.id not in functions:
                return func.id
        elif isinstance(func, ast.Attribute):
            root = func.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and isinstance(names.get(root.id), Module):
                return dotted(func)
        else:
            return "a computed function"
    return None


def dotted(node: ast.expr) -> str:
    """`os.path.join` for an attribute chain; `…` for the parts that are not names."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    parts.append(node.id if isinstance(node, ast.Name) else "…")
    return ".".join(reversed(parts))


BRIEF = reprlib.Repr()  # for values too large to show whole
BRIEF.maxlevel, BRIEF.maxlist, BRIEF.maxtuple, BRIEF.maxstring, BRIEF.maxother = 3, 10, 10, 80, 80


def show(value) -> str:
    """A value as a diagnostic message names it."""
    if isinstance(value, Obj):
        return value.var
    if isinstance(value, Unknown):
        return value.describe()
    if isinstance(value, Link):
        return f"the link {value.a} -> {value.b}"
    return repr(value) if _short(value) else BRIEF.repr(value)


def _short(value) -> bool:
    """Whether a value's repr is short (lists are walked only that far: they may hold themselves, or be large)."""
    left, todo = MAX_SHOWN, [value]
    while todo:
        current = todo.pop()
        left -= len(current) if isinstance(current, str) else 1
        if left < 0:
            return False
        if isinstance(current, list):
            todo.extend(current[:left + 1])
    return True
