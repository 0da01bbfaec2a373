"""The small value domain in which model statements are interpreted, and what cannot be computed in it.

Values are computed from `ast` nodes by `values.py`; nothing here runs input.

>>> d = PyDict()
>>> d.set(Obj("a"), 1, 3), d.set(Obj("b"), 2, 4), d.set(Obj("a"), 5, 6)
(False, False, True)
>>> [(k.var, v, line) for k, v, line in d.items()]
[('a', 5, 6), ('b', 2, 4)]
"""

import reprlib

from gtkg.loaders.codeable.limits import MAX_SHOWN
from gtkg.loaders.records import Link


class Unsupported(Exception):
    """A construct gtkg cannot resolve statically; `quiet` when binding it to a name is harmless."""

    def __init__(self, message: str, quiet: bool = False, problem: str = "unsupported-statement"):
        super().__init__(message)
        self.quiet, self.problem = quiet, problem


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
