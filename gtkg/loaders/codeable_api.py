"""The CodeableModels calls gtkg reads, with the semantics executing them would have.

- `add_links({a: b | [b, ...]}, role_name=..., association=..., stereotype_instances=s | [s, ...],
  tagged_values={...})` and `a.add_links(b | [b, ...], ...)` return the list of links they create; only the
  link that `[0]` selects is bound by `x = a.add_links(...)[0]`.
- `add_decision_option_link(d, o, name)` and the `add_stereotyped_*` helpers of the guidance metamodel take
  `add_links(...)[0]`: with a list of targets only the first link gets the stereotype, name or tagged value.
- `add_force_relations({option: {force: stereotype}})` adds one `role_name="forces"` link per pair.
Mixed into the statement reader of `codeable`; nothing is ever run.
"""

import ast

from gtkg.loaders.associations import BY_NAME, resolve, snake
from gtkg.loaders.limits import RECORD_STEPS
from gtkg.loaders.pyvalues import Obj, PyDict, Unknown, show
from gtkg.loaders.records import INFO, Declaration, Link
from gtkg.ontology import CONTEXT_TYPES, DEPENDENCY_TYPES, IMPACTS, NEXT_DECISION_TYPES

HELPER_TAGS = {"add_stereotyped_design_solution_link": None,
               "add_stereotyped_link_with_how_tagged_value": "how",
               "add_stereotyped_link_with_role_tagged_value": "role"}
METAMODEL_CALLS = {"CMetaclass", "CStereotype", "CEnum", "CAssociation", "association"}
# Role names outside the metamodels that hand-written notes use; CodeableModels itself would reject them.
LOOSE_ROLES = {"contained_codes": "contains", "codes": "contains", "contains": "contains", "references": "cites",
               "reference": "cites", "cites": "cites", "next_decision": "next", "next decisions": "next",
               "next": "next", "force": "impact", "contexts": "context"}


class Unsupported(Exception):
    """A construct gtkg cannot resolve statically; `quiet` when binding it to a name is harmless."""

    def __init__(self, message: str, quiet: bool = False, problem: str = "unsupported-statement"):
        super().__init__(message)
        self.quiet, self.problem = quiet, problem


def add_tags(link: Link, tagged: dict) -> None:
    """Tagged values of a link; the `name` of an option link is its option name."""
    for key, value in tagged.items():
        if key is None or value is None:
            continue
        if key == "name" and link.kind == "option":
            link.name = value
        else:
            link.tagged[key] = value


class ApiMixin:
    """CodeableModels API calls; expects the reader's `value`, `problem`, `env`, `fragment`, `line`."""

    def handler(self, name: str, spelled: str):
        """The reader of a called function, or None when it is not part of the API."""
        if name == "CClass":
            return self.anonymous_class
        if spelled in ("add_links", "set_links"):
            return self.add_links
        if spelled == "add_decision_option_link":
            return self.option_link
        if spelled == "add_force_relations" or self.env.functions.get(name) == "forces":
            return self.force_relations
        if spelled in HELPER_TAGS:
            return lambda node: self.stereotyped_helper(node, spelled)
        if spelled == "delete_links":
            raise Unsupported("delete_links is not read: the links it deletes stay in the graph")
        return None

    def method_handler(self, name: str):
        if name in ("add_links", "set_links"):
            return self.add_links_of
        if name == "set_tagged_value":
            return self.set_tagged_value
        if name == "set_value":
            return self.set_value
        if name in ("delete", "delete_links"):
            raise Unsupported("deleting elements or links is not read: they stay in the graph")
        return None

    # ------------------------------------------------------------------ declarations

    def declaration(self, var: str, call: ast.Call) -> None:
        keywords = self.keywords(call)
        meta_node = call.args[0] if call.args else keywords.get("metaclass")
        metaclass = self.value(meta_node) if meta_node is not None else None
        if not isinstance(metaclass, Obj):
            raise Unsupported(f"the metaclass of {var} is not a metaclass name")
        label = self.optional_text(call.args[1] if len(call.args) > 1 else keywords.get("name"),
                                   f"the label of {var}", f"{var} is loaded without a label", var)
        values = self.guarded(lambda: self.values_of(self.value(keywords["values"])), {}) \
            if "values" in keywords else {}
        stereotypes = self.guarded(lambda: self.stereotypes_at(keywords["stereotype_instances"]), ()) \
            if "stereotype_instances" in keywords else ()
        decl = Declaration(var, metaclass.var, label, self.line, values, stereotypes)
        self.fragment.declarations.append(decl)
        self.env.declarations[var] = decl
        self.env.metaclasses[var] = metaclass.var
        self.env.names[var] = Obj(var)
        self.env.assignments.append((var, "declaration", self.line, self.fragment, decl))

    def anonymous_class(self, node: ast.Call):
        self.problem("a CClass not assigned to a variable cannot be named or linked; not loaded")
        return Unknown("an unnamed CClass", node.lineno)

    # ------------------------------------------------------------------ links

    def add_links(self, node: ast.Call) -> list[Link]:
        if not node.args:
            raise Unsupported("add_links without link definitions")
        mapping = self.value(node.args[0])
        if not isinstance(mapping, PyDict):
            raise Unsupported("add_links needs a dict {source: target or [targets]}")
        self.warn_set_links(node)
        inline = isinstance(node.args[0], ast.Dict)
        pairs = [(key, targets, line if inline else None) for key, targets, line in mapping.items()]
        return self.make_links(pairs, *self.link_options(node))

    def add_links_of(self, node: ast.Call, owner) -> list[Link]:
        if not node.args:
            raise Unsupported("add_links without targets")
        self.warn_set_links(node)
        return self.make_links([(owner, self.value(node.args[0]), None)], *self.link_options(node))

    def warn_set_links(self, node: ast.Call) -> None:
        if snake(getattr(node.func, "id", getattr(node.func, "attr", ""))) == "set_links":
            self.problem("set_links also deletes earlier links of these elements; gtkg reads it as add_links")

    def link_options(self, node: ast.Call) -> tuple:
        keywords = self.keywords(node)
        role = self.text_of(keywords.get("role_name"), "role_name")
        association = self.association_of(keywords.get("association"))
        stereotypes = self.stereotypes_at(keywords["stereotype_instances"]) \
            if "stereotype_instances" in keywords else ()
        tagged = self.tagged_of(self.value(keywords["tagged_values"])) if "tagged_values" in keywords else {}
        return role, association, stereotypes, tagged

    def make_links(self, pairs: list, role: str | None, association: str | None, stereotypes: tuple,
                   tagged: dict) -> list[Link]:
        links = []
        for source, targets, line in pairs:
            src = self.element(source, "a link source")
            if src is None:
                continue
            for target in targets if isinstance(targets, list) else [targets]:
                self.spend(RECORD_STEPS + len(tagged))
                link = self.link(src, target, role, association, stereotypes, tagged, line or self.line)
                if link is not None:
                    links.append(link)
        self.fragment.links.extend(links)
        return links

    def link(self, src: str, target, role, association, stereotypes, tagged, line) -> Link | None:
        coded = target if isinstance(target, Link) else None
        tgt = (coded.var or None) if coded else self.element(target, "a link target")
        if tgt is None:
            if coded:
                self.problem("a link without a variable is listed as a link target; assign it to a variable")
            return None
        found = resolve(role, association, stereotypes, self.kind_of(src), "code" if coded else self.kind_of(tgt))
        if found is None:
            kind, a, b = self.loose_kind(role, stereotypes), src, tgt
        else:
            kind = found[0].kind
            a, b = (src, tgt) if found[1] else (tgt, src)
            if found[0].swap:
                a, b = b, a
        if coded:
            if kind != "contains":
                self.problem(f"the link {coded.var} is a target of a {kind} link; gtkg reads links only as "
                             "contained codes")
                return None
            self.env.coded_links[id(coded)] = tgt
        link = Link(kind, a, b, line, stereotypes, role=role)
        if tagged:
            add_tags(link, tagged)
        return link

    def loose_kind(self, role: str | None, stereotypes: tuple) -> str:
        """The kind of a link no metamodel association explains (a role of the study's own metamodel?)."""
        kind = LOOSE_ROLES.get((role or "").strip().lower())
        for types, name in ((NEXT_DECISION_TYPES, "next"), (IMPACTS, "impact"), (CONTEXT_TYPES, "context"),
                            (DEPENDENCY_TYPES, "dependency")):
            if kind is None and any(s in types for s in stereotypes):
                kind = name
        if role is not None:
            self.problem(f"role_name {role!r} is no role of the guidance or coding metamodel, so CodeableModels "
                         f"finds no association; read as a {kind or 'other'} link", INFO, "unknown-role")
        return kind or "other"

    def element(self, value, what: str) -> str | None:
        if isinstance(value, Obj):
            return value.var
        self.problem(f"{what} cannot be resolved statically: {show(value)}")
        return None

    def option_link(self, node: ast.Call) -> Link | None:
        args, keywords = node.args, self.keywords(node)
        if len(args) < 2:
            raise Unsupported("add_decision_option_link needs a decision and an option")
        decision, option = self.value(args[0]), self.value(args[1])
        name = self.optional_text(args[2] if len(args) > 2 else keywords.get("option_name"), "the option name",
                                  "the option is loaded without a name")
        for extra in sorted(set(keywords) - {"option_name"}):
            self.problem(f"{extra}= is no parameter of add_decision_option_link (CodeableModels raises a "
                         "TypeError here); ignored", INFO, "unknown-keyword")
        if isinstance(decision, list):
            raise Unsupported("add_decision_option_link on a list of decisions fails in CodeableModels")
        links = self.make_links([(decision, option, None)], None, "decision_solution_relation", (), {})
        if links:
            links[0].name = name
        return links[0] if links else None

    def force_relations(self, node: ast.Call) -> None:
        mapping = self.value(node.args[0]) if node.args else None
        if not isinstance(mapping, PyDict):
            raise Unsupported("add_force_relations needs a dict {option: {force: impact}} (inline or a variable)")
        inline = isinstance(node.args[0], ast.Dict)
        for option, forces, _ in mapping.items():
            if not isinstance(forces, PyDict):
                self.problem(f"the forces of {option if isinstance(option, str) else show(option)} are not a dict "
                             "{force: impact}")
                continue
            for force, stereotype, line in forces.items():
                try:  # what `guarded` does, without a closure per impact
                    stereotypes = self.stereotypes_of(stereotype)
                except Unsupported as exc:
                    self.problem(str(exc))
                    continue
                self.make_links([(option, force, line if inline else None)], "forces", None, stereotypes, {})

    def stereotyped_helper(self, node: ast.Call, helper: str) -> Link | None:
        args, tag = node.args, HELPER_TAGS[helper]
        if len(args) < 3:
            raise Unsupported(f"{helper} needs from, to and a stereotype")
        source, target = self.value(args[0]), self.value(args[1])
        stereotypes = self.stereotypes_at(args[2])
        links = self.make_links([(source, target, None)], "to", None, (), {})
        if not links:
            return None
        links[0].stereotypes = stereotypes
        if tag and len(args) > 3:
            add_tags(links[0], {tag: self.text_of(args[3], f"the {tag} value")})
        return links[0] if tag else None

    def set_tagged_value(self, node: ast.Call, owner):
        if not isinstance(owner, Link) or len(node.args) < 2:
            return Unknown("set_tagged_value on a class", node.lineno)
        key, value = self.text_of(node.args[0], "the tag name"), self.text_of(node.args[1], "the tagged value")
        add_tags(owner, {key: value})
        return None

    def set_value(self, node: ast.Call, owner):
        decl = self.env.declarations.get(owner.var) if isinstance(owner, Obj) else None
        if decl is not None and len(node.args) >= 2:
            values = PyDict()
            values.set(self.value(node.args[0]), self.value(node.args[1]), node.lineno)
            decl.values.update(self.values_of(values))
        return None

    # ------------------------------------------------------------------ arguments

    def keywords(self, call: ast.Call) -> dict:
        if not call.keywords:
            return {}
        if any(kw.arg is None for kw in call.keywords):
            raise Unsupported("**keyword arguments cannot be resolved statically")
        return {snake(kw.arg): kw.value for kw in call.keywords}

    def association_of(self, node: ast.expr | None) -> str | None:
        if node is None:
            return None
        value = self.value(node)
        name = snake(value.var) if isinstance(value, Obj) else None
        if name not in BY_NAME:
            named = repr(value.var) if isinstance(value, Obj) else show(value)
            self.problem(f"association {named} is not one of the guidance or coding metamodel; the link kind "
                         "follows its role and stereotypes", INFO, "unknown-association")
            return None
        return name

    def stereotypes_at(self, node: ast.expr) -> tuple:
        """Stereotype names of a stereotype_instances argument: a name or a list of names."""
        if isinstance(node, ast.List | ast.Tuple):
            return tuple(s for element in node.elts for s in self.stereotypes_at(element))
        return self.stereotypes_of(self.value(node))

    def optional_text(self, node, what: str, consequence: str, about: str | None = None) -> str | None:
        try:
            return self.text_of(node, what)
        except Unsupported as exc:
            self.problem(f"{exc}; {consequence}", about=about)
            return None

    def guarded(self, read, default):
        """`read()`, or `default` with a diagnostic when it cannot be resolved (the statement still loads)."""
        try:
            return read()
        except Unsupported as exc:
            self.problem(str(exc))
            return default
