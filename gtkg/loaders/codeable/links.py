"""The CodeableModels calls that make links, with the semantics executing them would have.

- `add_links({a: b | [b, ...]}, role_name=..., association=..., stereotype_instances=s | [s, ...],
  tagged_values={...})` and `a.add_links(b | [b, ...], ...)` return the list of links they create; only the
  link that `[0]` selects is bound by `x = a.add_links(...)[0]`.
- `add_decision_option_link(d, o, name)` and the `add_stereotyped_*` helpers of the guidance metamodel take
  `add_links(...)[0]`: with a list of targets only the first link gets the stereotype, name or tagged value.
- `add_force_relations({option: {force: stereotype}})` adds one `role_name="forces"` link per pair.

A link's kind and direction are those of the metamodel association CodeableModels would pick
(`associations.py`). Each reader takes the evaluator (`values.Values`) and the call's node; nothing is run.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from gtkg.loaders.codeable.arguments import (
    association_of,
    keywords,
    optional_text,
    stereotypes_at,
    stereotypes_of,
    tagged_of,
    text_of,
)
from gtkg.loaders.codeable.associations import resolve, snake
from gtkg.loaders.codeable.limits import RECORD_STEPS
from gtkg.loaders.codeable.pyvalues import Obj, PyDict, Unsupported, show
from gtkg.loaders.codeable.state import Env, Reading
from gtkg.loaders.records import INFO, Link
from gtkg.ontology import CONTEXT_TYPES, DEPENDENCY_TYPES, IMPACTS, NEXT_DECISION_TYPES

if TYPE_CHECKING:
    from gtkg.loaders.codeable.values import Values

HELPER_TAGS = {"add_stereotyped_design_solution_link": None,
               "add_stereotyped_link_with_how_tagged_value": "how",
               "add_stereotyped_link_with_role_tagged_value": "role"}
# Role names outside the metamodels that hand-written notes use; CodeableModels itself would reject them.
LOOSE_ROLES = {"contained_codes": "contains", "codes": "contains", "contains": "contains", "references": "cites",
               "reference": "cites", "cites": "cites", "next_decision": "next", "next decisions": "next",
               "next": "next", "force": "impact", "contexts": "context"}


def add_links(values: Values, node: ast.Call) -> list[Link]:
    """`add_links({source: target or [targets]}, ...)`."""
    if not node.args:
        raise Unsupported("add_links without link definitions")
    mapping = values.value(node.args[0])
    if not isinstance(mapping, PyDict):
        raise Unsupported("add_links needs a dict {source: target or [targets]}")
    warn_set_links(values.reading, node)
    inline = isinstance(node.args[0], ast.Dict)
    pairs = [(key, targets, line if inline else None) for key, targets, line in mapping.items()]
    return make_links(values.reading, pairs, *link_options(values, node))


def add_links_of(values: Values, node: ast.Call, owner) -> list[Link]:
    """`owner.add_links(target or [targets], ...)`."""
    if not node.args:
        raise Unsupported("add_links without targets")
    warn_set_links(values.reading, node)
    return make_links(values.reading, [(owner, values.value(node.args[0]), None)], *link_options(values, node))


def warn_set_links(reading: Reading, node: ast.Call) -> None:
    if snake(getattr(node.func, "id", getattr(node.func, "attr", ""))) == "set_links":
        reading.problem("set_links also deletes earlier links of these elements; gtkg reads it as add_links")


def link_options(values: Values, node: ast.Call) -> tuple:
    """role_name, association, stereotype_instances and tagged_values of an add_links call."""
    given = keywords(node)
    role = text_of(values, given.get("role_name"), "role_name")
    association = association_of(values, given.get("association"))
    stereotypes = stereotypes_at(values, given["stereotype_instances"]) if "stereotype_instances" in given else ()
    tagged = tagged_of(values.reading, values.value(given["tagged_values"])) if "tagged_values" in given else {}
    return role, association, stereotypes, tagged


def make_links(reading: Reading, pairs: list, role: str | None, association: str | None, stereotypes: tuple,
               tagged: dict) -> list[Link]:
    """The links of (source, target or [targets], line) pairs, added to the fragment."""
    links = []
    for source, targets, line in pairs:
        src = element(reading, source, "a link source")
        if src is None:
            continue
        for target in targets if isinstance(targets, list) else [targets]:
            reading.spend(RECORD_STEPS + len(tagged))
            made = link(reading, src, target, role, association, stereotypes, tagged, line or reading.line)
            if made is not None:
                links.append(made)
    reading.fragment.links.extend(links)
    return links


def link(reading: Reading, src: str, target, role, association, stereotypes, tagged, line) -> Link | None:
    coded = target if isinstance(target, Link) else None
    tgt = (coded.var or None) if coded else element(reading, target, "a link target")
    if tgt is None:
        if coded:
            reading.problem("a link without a variable is listed as a link target; assign it to a variable")
        return None
    env = reading.env
    found = resolve(role, association, stereotypes, kind_of(env, src), "code" if coded else kind_of(env, tgt))
    if found is None:
        kind, a, b = loose_kind(reading, role, stereotypes), src, tgt
    else:
        kind = found[0].kind
        a, b = (src, tgt) if found[1] else (tgt, src)
        if found[0].swap:
            a, b = b, a
    if coded:
        if kind != "contains":
            reading.problem(f"the link {coded.var} is a target of a {kind} link; gtkg reads links only as "
                            "contained codes")
            return None
        env.coded_links[id(coded)] = tgt
    made = Link(kind, a, b, line, stereotypes, role=role)
    if tagged:
        add_tags(made, tagged)
    return made


def kind_of(env: Env, var: str | None) -> str | None:
    return env.metaclasses.get(var) if var else None


def loose_kind(reading: Reading, role: str | None, stereotypes: tuple) -> str:
    """The kind of a link no metamodel association explains (a role of the study's own metamodel?)."""
    kind = LOOSE_ROLES.get((role or "").strip().lower())
    for types, name in ((NEXT_DECISION_TYPES, "next"), (IMPACTS, "impact"), (CONTEXT_TYPES, "context"),
                        (DEPENDENCY_TYPES, "dependency")):
        if kind is None and any(s in types for s in stereotypes):
            kind = name
    if role is not None:
        reading.problem(f"role_name {role!r} is no role of the guidance or coding metamodel, so CodeableModels "
                        f"finds no association; read as a {kind or 'other'} link", INFO, "unknown-role")
    return kind or "other"


def element(reading: Reading, value, what: str) -> str | None:
    if isinstance(value, Obj):
        return value.var
    reading.problem(f"{what} cannot be resolved statically: {show(value)}")
    return None


def reclassify(env: Env, made: Link) -> None:
    """A link whose stereotypes are set afterwards: its kind (and direction) as the stereotypes tell."""
    found = resolve(None, None, made.stereotypes, kind_of(env, made.a), kind_of(env, made.b))
    if found:
        made.kind = found[0].kind
        if not found[1]:
            made.a, made.b = made.b, made.a
        if made.kind == "option" and "name" in made.tagged:
            made.name = made.tagged.pop("name")


def add_tags(made: Link, tagged: dict) -> None:
    """Tagged values of a link; the `name` of an option link is its option name."""
    for key, value in tagged.items():
        if key is None or value is None:
            continue
        if key == "name" and made.kind == "option":
            made.name = value
        else:
            made.tagged[key] = value


def option_link(values: Values, node: ast.Call) -> Link | None:
    """`add_decision_option_link(decision, option, name)`."""
    args, given = node.args, keywords(node)
    if len(args) < 2:
        raise Unsupported("add_decision_option_link needs a decision and an option")
    decision, option = values.value(args[0]), values.value(args[1])
    name = optional_text(values, args[2] if len(args) > 2 else given.get("option_name"), "the option name",
                         "the option is loaded without a name")
    for extra in sorted(set(given) - {"option_name"}):
        values.reading.problem(f"{extra}= is no parameter of add_decision_option_link (CodeableModels raises a "
                               "TypeError here); ignored", INFO, "unknown-keyword")
    if isinstance(decision, list):
        raise Unsupported("add_decision_option_link on a list of decisions fails in CodeableModels")
    links = make_links(values.reading, [(decision, option, None)], None, "decision_solution_relation", (), {})
    if links:
        links[0].name = name
    return links[0] if links else None


def force_relations(values: Values, node: ast.Call) -> None:
    """`add_force_relations({option: {force: impact}})`, or a function of the model file doing the same."""
    reading = values.reading
    mapping = values.value(node.args[0]) if node.args else None
    if not isinstance(mapping, PyDict):
        raise Unsupported("add_force_relations needs a dict {option: {force: impact}} (inline or a variable)")
    inline = isinstance(node.args[0], ast.Dict)
    for option, forces, _ in mapping.items():
        if not isinstance(forces, PyDict):
            reading.problem(f"the forces of {option if isinstance(option, str) else show(option)} are not a dict "
                            "{force: impact}")
            continue
        for force, stereotype, line in forces.items():
            try:  # what `guarded` does, without a closure per impact
                stereotypes = stereotypes_of(reading, stereotype)
            except Unsupported as exc:
                reading.problem(str(exc))
                continue
            make_links(reading, [(option, force, line if inline else None)], "forces", None, stereotypes, {})


def stereotyped_helper(values: Values, node: ast.Call, helper: str) -> Link | None:
    """`add_stereotyped_design_solution_link(from, to, stereotype)` and its siblings with a tagged value."""
    args, tag = node.args, HELPER_TAGS[helper]
    if len(args) < 3:
        raise Unsupported(f"{helper} needs from, to and a stereotype")
    source, target = values.value(args[0]), values.value(args[1])
    stereotypes = stereotypes_at(values, args[2])
    links = make_links(values.reading, [(source, target, None)], "to", None, (), {})
    if not links:
        return None
    links[0].stereotypes = stereotypes
    if tag and len(args) > 3:
        add_tags(links[0], {tag: text_of(values, args[3], f"the {tag} value")})
    return links[0] if tag else None
