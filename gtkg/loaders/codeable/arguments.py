"""The arguments of CodeableModels calls as gtkg records them: texts, stereotypes, tagged values, values and
associations. Functions that compute an argument take the evaluator (`values.Values`); those that only check
a computed value take the `Reading`, whose budget pays for the check and whose diagnostics say what is left out.
"""

import ast

from gtkg.loaders.codeable.associations import BY_NAME, snake, vocab
from gtkg.loaders.codeable.pyvalues import Obj, PyDict, Unknown, Unsupported, show
from gtkg.loaders.records import INFO


def keywords(call: ast.Call) -> dict:
    if not call.keywords:
        return {}
    if any(kw.arg is None for kw in call.keywords):
        raise Unsupported("**keyword arguments cannot be resolved statically")
    return {snake(kw.arg): kw.value for kw in call.keywords}


def text_of(values, node: ast.expr | None, what: str) -> str | None:
    if node is None:
        return None
    value = values.value(node)
    if value is None or isinstance(value, str):
        return value
    reason = value.describe() if isinstance(value, Unknown) else show(value)
    raise Unsupported(f"{what} is not a string gtkg can resolve: {reason}")


def optional_text(values, node: ast.expr | None, what: str, consequence: str, about: str | None = None) -> str | None:
    """A text argument, or None with a diagnostic saying the `consequence` when it cannot be resolved."""
    try:
        return text_of(values, node, what)
    except Unsupported as exc:
        values.reading.problem(f"{exc}; {consequence}", about=about)
        return None


def stereotypes_at(values, node: ast.expr) -> tuple:
    """Stereotype names of a stereotype_instances argument: a name or a list of names."""
    if isinstance(node, ast.List | ast.Tuple):
        return tuple(s for element in node.elts for s in stereotypes_at(values, element))
    return stereotypes_of(values.reading, values.value(node))


def stereotypes_of(reading, value) -> tuple:
    if isinstance(value, Obj):  # the common case: one stereotype name
        return (vocab(value.var),)
    items = value if isinstance(value, list) else [] if value is None else [value]
    reading.spend(len(items))
    if not all(isinstance(item, Obj) for item in items):
        raise Unsupported("stereotype_instances must be stereotype names (a name or a list of names)")
    return tuple(vocab(item.var) for item in items)


def tagged_of(reading, value) -> dict:
    if not isinstance(value, PyDict):
        raise Unsupported("tagged_values must be a dict of strings")
    reading.spend(len(value))
    return {key: val for key, val, _ in value.items() if isinstance(key, str) and isinstance(val, str)}


def values_of(reading, value) -> dict:
    """The `values=` of an element: entries of strings, numbers and booleans; the others are reported."""
    if value is None:
        return {}
    if not isinstance(value, PyDict):
        raise Unsupported("values must be a dict")
    reading.spend(len(value))
    values = {}
    for key, val, line in value.items():
        if isinstance(key, str) and isinstance(val, str | bool | int | float) and val is not None:
            values[key] = val
        else:
            reading.problem(f"the value of {show(key)} cannot be resolved statically ({show(val)}); it is not "
                            "loaded", line=line)
    return values


def association_of(values, node: ast.expr | None) -> str | None:
    if node is None:
        return None
    value = values.value(node)
    name = snake(value.var) if isinstance(value, Obj) else None
    if name not in BY_NAME:
        named = repr(value.var) if isinstance(value, Obj) else show(value)
        values.reading.problem(f"association {named} is not one of the guidance or coding metamodel; the link "
                               "kind follows its role and stereotypes", INFO, "unknown-association")
        return None
    return name


def guarded(reading, read, default):
    """`read()`, or `default` with a diagnostic when it cannot be resolved (the statement still loads)."""
    try:
        return read()
    except Unsupported as exc:
        reading.problem(str(exc))
        return default
