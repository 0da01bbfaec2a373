"""The CodeableModels API as gtkg reads it: which call or method is which, the elements `CClass` declares, and
what setting their attributes (`stereotype_instances`, `tagged_values`, `values`, `name`) changes. The calls
that make links are in `links.py`. Each reader takes the evaluator (`values.Values`); nothing is ever run.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from gtkg.loaders.codeable import arguments, links
from gtkg.loaders.codeable.pyvalues import Obj, PyDict, Unknown, Unsupported
from gtkg.loaders.codeable.state import Reading
from gtkg.loaders.records import Declaration, Link

if TYPE_CHECKING:
    from gtkg.loaders.codeable.values import Values


def call_handler(name: str, spelled: str, functions: dict):
    """The reader of a called function (`reader(values, node)`), or None when it is not part of the API.

    `spelled` is the name in snake_case; `functions` the kinds of the functions the input defines.
    """
    if name == "CClass":
        return anonymous_class
    if spelled in ("add_links", "set_links"):
        return links.add_links
    if spelled == "add_decision_option_link":
        return links.option_link
    if spelled == "add_force_relations" or functions.get(name) == "forces":
        return links.force_relations
    if spelled in links.HELPER_TAGS:
        return lambda values, node: links.stereotyped_helper(values, node, spelled)
    if spelled == "delete_links":
        raise Unsupported("delete_links is not read: the links it deletes stay in the graph")
    return None


def method_handler(name: str):
    """The reader of a method of an element or link (`reader(values, node, owner)`), or None."""
    if name in ("add_links", "set_links"):
        return links.add_links_of
    if name == "set_tagged_value":
        return set_tagged_value
    if name == "set_value":
        return set_value
    if name in ("delete", "delete_links"):
        raise Unsupported("deleting elements or links is not read: they stay in the graph")
    return None


def declaration(values: Values, var: str, call: ast.Call) -> None:
    """`var = CClass(metaclass, "Label", values={...}, stereotype_instances=...)`."""
    reading, env = values.reading, values.env
    given = arguments.keywords(call)
    meta_node = call.args[0] if call.args else given.get("metaclass")
    metaclass = values.value(meta_node) if meta_node is not None else None
    if not isinstance(metaclass, Obj):
        raise Unsupported(f"the metaclass of {var} is not a metaclass name")
    label = arguments.optional_text(values, call.args[1] if len(call.args) > 1 else given.get("name"),
                                    f"the label of {var}", f"{var} is loaded without a label", var)
    element_values = arguments.guarded(reading, lambda: arguments.values_of(reading, values.value(given["values"])),
                                       {}) if "values" in given else {}
    stereotypes = arguments.guarded(reading, lambda: arguments.stereotypes_at(values, given["stereotype_instances"]),
                                    ()) if "stereotype_instances" in given else ()
    decl = Declaration(var, metaclass.var, label, reading.line, element_values, stereotypes)
    reading.fragment.declarations.append(decl)
    env.declarations[var] = decl
    env.metaclasses[var] = metaclass.var
    env.names[var] = Obj(var)
    env.assignments.append((var, "declaration", reading.line, reading.fragment, decl))


def anonymous_class(values: Values, node: ast.Call):
    values.reading.problem("a CClass not assigned to a variable cannot be named or linked; not loaded")
    return Unknown("an unnamed CClass", node.lineno)


def set_attribute(reading: Reading, owner, attr: str, result) -> None:
    """`owner.attr = result`, for the attributes gtkg records; `attr` in snake_case."""
    env = reading.env
    if attr == "stereotype_instances":
        set_stereotypes(reading, owner, arguments.stereotypes_of(reading, result))
    elif attr == "tagged_values" and isinstance(owner, Link):
        links.add_tags(owner, arguments.tagged_of(reading, result))
    elif attr in ("values", "name") and isinstance(owner, Obj) and owner.var in env.declarations:
        decl = env.declarations[owner.var]
        if attr == "name":
            decl.label = result if isinstance(result, str) else decl.label
        else:
            decl.values.update(arguments.values_of(reading, result))
    # other attributes (superclasses, descriptions, metaclass tweaks) carry nothing gtkg records


def set_stereotypes(reading: Reading, owner, stereotypes: tuple) -> None:
    if isinstance(owner, Link):
        owner.stereotypes = stereotypes
        if owner.kind == "other" and owner.role is None:
            links.reclassify(reading.env, owner)
    elif isinstance(owner, Obj) and owner.var in reading.env.declarations:
        reading.env.declarations[owner.var].stereotypes = stereotypes
    elif isinstance(owner, list):
        raise Unsupported("stereotype_instances set on the list add_links returns (CodeableModels fails "
                          "here); take one link with [0]")


def set_tagged_value(values: Values, node: ast.Call, owner):
    """`link.set_tagged_value(key, value)`."""
    if not isinstance(owner, Link) or len(node.args) < 2:
        return Unknown("set_tagged_value on a class", node.lineno)
    key = arguments.text_of(values, node.args[0], "the tag name")
    value = arguments.text_of(values, node.args[1], "the tagged value")
    links.add_tags(owner, {key: value})
    return None


def set_value(values: Values, node: ast.Call, owner):
    """`element.set_value(key, value)`."""
    decl = values.env.declarations.get(owner.var) if isinstance(owner, Obj) else None
    if decl is not None and len(node.args) >= 2:
        entry = PyDict()
        entry.set(values.value(node.args[0]), values.value(node.args[1]), node.lineno)
        decl.values.update(arguments.values_of(values.reading, entry))
    return None
