"""Read CodeableModels statements statically: `ast` nodes in, plain records out. Nothing is executed.

>>> frag = interpret_text('''
... on_demand = CClass(force, "On-Demand")
... add_force_relations({triggering: {on_demand: positive}})
... ''')
>>> frag.declarations[0].var, frag.declarations[0].label, frag.declarations[0].line
('on_demand', 'On-Demand', 2)
>>> [(link.kind, link.a, link.b, link.stereotypes) for link in frag.links]
[('impact', 'triggering', 'on_demand', ('positive',))]
"""

import ast
import re

from gtkg.loaders.python_source import split_statements
from gtkg.loaders.records import INFO, WARNING, Declaration, Diagnostic, Fragment, Link, Listing
from gtkg.ontology import CONTEXT_TYPES, DEPENDENCY_TYPES, IMPACTS, NEXT_DECISION_TYPES

# Names separated by commas or line breaks; words separated by spaces on one line are prose.
IDENTIFIER_LIST = re.compile(r"^[\s,]*[A-Za-z_]\w*(?:[ \t]*(?:,|\n)[\s,]*[A-Za-z_]\w*)*[\s,]*$")
CONTAINS_ROLES = {"contained_code", "contained_codes", "codes", "contains"}
CITES_ROLES = {"referenced", "references", "reference", "cites"}
NEXT_ROLES = {"next decision", "next_decision", "next decisions", "next"}
FORCE_ROLES = {"forces", "force"}
CONTEXT_ROLES = {"context", "contexts"}
# Helper functions of the guidance metamodel: (from, to, stereotype[, tagged value]).
STEREOTYPED_LINK_HELPERS = {
    "add_stereotyped_design_solution_link": None,
    "add_stereotyped_link_with_how_tagged_value": "how",
    "add_stereotyped_link_with_role_tagged_value": "role",
}
IGNORED_CALLS = {"CBundle", "print", "generate", "render", "CMetaclass", "CStereotype", "CObject"}


class Env:
    """Names known while interpreting: list, dict and string variables (shared across files of one load)."""

    def __init__(self):
        self.lists: dict[str, tuple[list, int]] = {}
        self.dicts: dict[str, ast.Dict] = {}
        self.strings: dict[str, str] = {}
        self.used: set[str] = set()

    def collect(self, statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                var, value = node.targets[0].id, node.value
                if isinstance(value, ast.List | ast.Tuple) and all(isinstance(e, ast.Name) for e in value.elts):
                    self.lists[var] = ([e.id for e in value.elts], node.lineno)
                elif isinstance(value, ast.Dict):
                    self.dicts[var] = value
                elif (text := const_str(value, self)) is not None:
                    self.strings[var] = text


def interpret_text(text: str, first_line: int = 1, env: Env | None = None) -> Fragment:
    """Parse and interpret one piece of Python (a fence or a whole file)."""
    statements, diagnostics = split_statements(text, first_line)
    env = env or Env()
    env.collect(statements)
    fragment = interpret(statements, env)
    fragment.diagnostics[:0] = diagnostics
    return fragment


def interpret(statements: list[ast.stmt], env: Env) -> Fragment:
    fragment = Fragment()
    reader = _Reader(fragment, env)
    for node in statements:
        try:
            reader.statement(node)
        except _Unsupported as exc:
            fragment.diagnostics.append(_diagnostic(node, str(exc)))
    return fragment


class _Unsupported(Exception):
    pass


def const_str(node: ast.expr, env: Env | None = None) -> str | None:
    """A string constant, a concatenation of them, or a string variable; else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = const_str(node.left, env), const_str(node.right, env)
        if left is not None and right is not None:
            return left + right
    if env is not None and isinstance(node, ast.Name) and node.id in env.strings:
        return env.strings[node.id]
    return None


def _value(node: ast.expr, env: Env):
    text = const_str(node, env)
    if text is not None:
        return text
    if isinstance(node, ast.Constant) and isinstance(node.value, bool | int | float):
        return node.value
    if isinstance(node, ast.Name):
        return {"True": True, "False": False}.get(node.id, node.id)
    raise _Unsupported("a value that is not a constant, a string concatenation or a name")


def _names(node: ast.expr, env: Env) -> list[str]:
    """Variables in a name, a list/tuple of names, or a list variable."""
    if isinstance(node, ast.Name):
        if node.id in env.lists:
            env.used.add(node.id)
            return list(env.lists[node.id][0])
        return [node.id]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        out = []
        for element in node.elts:
            out.extend(_names(element, env))
        return out
    if isinstance(node, ast.Starred):
        return _names(node.value, env)
    raise _Unsupported("a link end that is not a variable or a list of variables")


def _stereotypes(node: ast.expr | None, env: Env) -> tuple:
    return () if node is None else tuple(_names(node, env))


def _keywords(call: ast.Call) -> dict:
    return {kw.arg: kw.value for kw in call.keywords if kw.arg}


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


class _Reader:
    """Turns statements into records of one fragment."""

    def __init__(self, fragment: Fragment, env: Env):
        self.fragment = fragment
        self.env = env
        self.link_vars: dict[str, list[Link]] = {}

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Assign):
            self.assign(node)
        elif isinstance(node, ast.Expr):
            self.expression(node.value, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names]
            self.fragment.imports.append((node.module or "", names, node.lineno))
        elif isinstance(node, ast.Import | ast.Pass):
            return
        elif isinstance(node, ast.FunctionDef):
            if node.name != "add_force_relations" and node.name not in STEREOTYPED_LINK_HELPERS:
                self._note(node, f"function {node.name}() is not interpreted (definitions are never run)")
        elif isinstance(node, ast.For):
            self.loop(node)
        elif isinstance(node, ast.If) and _is_main_guard(node):
            return
        else:
            raise _Unsupported(f"a {type(node).__name__} statement cannot be read statically")

    def loop(self, node: ast.For) -> None:
        creates = any(isinstance(n, ast.Call) and _call_name(n) in ("CClass", "add_links", "add_force_relations",
                                                                     "add_decision_option_link")
                      for n in ast.walk(node))
        if creates:
            raise _Unsupported("a loop that creates codes or links cannot be resolved statically; "
                               "write the statements out")
        self._note(node, "loop ignored: it only adjusts existing elements")

    def assign(self, node: ast.Assign) -> None:
        target, value = node.targets[0], node.value
        if len(node.targets) != 1:
            raise _Unsupported("chained assignment")
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            return self.set_attribute(target.value.id, target.attr, value, node.lineno)
        if not isinstance(target, ast.Name):
            raise _Unsupported("assignment to something other than a variable")
        var = target.id
        call = value.value if isinstance(value, ast.Subscript) else value
        if isinstance(call, ast.Call) and _call_name(call) == "CClass":
            return self.declaration(var, call, node.lineno)
        if isinstance(call, ast.Call):
            links = self.expression(call, node.lineno)
            for link in links or []:
                link.var = var
            self.link_vars[var] = links or []
            return
        if var in self.env.lists and isinstance(value, ast.List | ast.Tuple):
            self.fragment.lists[var] = (self.env.lists[var][0], node.lineno)
            return
        if isinstance(value, ast.Dict | ast.List | ast.Tuple | ast.Constant | ast.BinOp | ast.Name):
            return  # data for later statements, collected by Env
        raise _Unsupported(f"assignment to {var} cannot be read statically")

    def set_attribute(self, var: str, attr: str, value: ast.expr, line: int) -> None:
        if attr == "stereotype_instances":
            stereotypes = _stereotypes(value, self.env)
            for link in self.link_vars.get(var, []):
                link.stereotypes = stereotypes
                link.kind = _classify(link.role, stereotypes, link.kind)
            for decl in self.fragment.declarations:
                if decl.var == var:
                    decl.stereotypes = stereotypes
        # other attributes (metaclass tweaks, descriptions) carry nothing gtkg records

    def declaration(self, var: str, call: ast.Call, line: int) -> None:
        if not call.args or not isinstance(call.args[0], ast.Name):
            raise _Unsupported("CClass without a metaclass variable")
        label = const_str(call.args[1], self.env) if len(call.args) > 1 else None
        keywords = _keywords(call)
        if label is None and "name" in keywords:
            label = const_str(keywords["name"], self.env)
        values = {}
        if isinstance(keywords.get("values"), ast.Dict):
            for key, val in zip(keywords["values"].keys, keywords["values"].values, strict=True):
                name = const_str(key, self.env) if key is not None else None
                if name is None:
                    raise _Unsupported("a values key that is not a string")
                values[name] = _value(val, self.env)
        stereotypes = _stereotypes(keywords.get("stereotype_instances"), self.env)
        self.fragment.declarations.append(Declaration(var, call.args[0].id, label, line, values, stereotypes))

    def expression(self, value: ast.expr, line: int) -> list[Link] | None:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            if IDENTIFIER_LIST.match(value.value):
                self.fragment.listings.append(Listing(re.findall(r"[A-Za-z_]\w*", value.value), line))
            return None  # prose docstrings are comments
        if isinstance(value, ast.Name | ast.Tuple):
            self.fragment.listings.append(Listing(_names(value, self.env), line))
            return None
        if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Call):
            return self.expression(value.value, line)
        if not isinstance(value, ast.Call):
            raise _Unsupported(f"a {type(value).__name__} expression is not a CodeableModels statement")
        return self.call(value, line)

    def call(self, call: ast.Call, line: int) -> list[Link] | None:
        name = _call_name(call)
        if name == "add_links":
            return self.add_links(call, line)
        if name == "add_decision_option_link":
            return self.option_link(call, line)
        if name == "add_force_relations":
            return self.force_relations(call, line)
        if name in STEREOTYPED_LINK_HELPERS:
            return self.stereotyped_helper(call, line, STEREOTYPED_LINK_HELPERS[name])
        if name == "set_tagged_value" and isinstance(call.func, ast.Attribute):
            return self.tagged_value(call)
        if name in IGNORED_CALLS or name.startswith(("render", "generate", "_")):
            return None
        raise _Unsupported(f"call of {name or 'an expression'}() is not a CodeableModels statement gtkg reads")

    def add_links(self, call: ast.Call, line: int) -> list[Link]:
        keywords = _keywords(call)
        role = const_str(keywords["role_name"], self.env) if "role_name" in keywords else None
        stereotypes = _stereotypes(keywords.get("stereotype_instances"), self.env)
        tagged = self._tagged(keywords.get("tagged_values"))
        pairs = []
        if isinstance(call.func, ast.Attribute):  # a.add_links(b, ...)
            if not call.args:
                raise _Unsupported("add_links without a target")
            owner = _names(call.func.value, self.env)
            pairs = [(a, b) for a in owner for b in _names(call.args[0], self.env)]
        else:  # add_links({a: b, ...}, ...)
            mapping = self._dict(call.args[0] if call.args else None)
            for key, val in zip(mapping.keys, mapping.values, strict=True):
                if key is None:
                    raise _Unsupported("add_links with ** in its mapping")
                pairs.extend((a, b) for a in _names(key, self.env) for b in _names(val, self.env))
        kind = _classify(role, stereotypes, "other")
        links = []
        for a, b in pairs:
            if kind in ("dependency", "next", "other") and role == "from":
                a, b = b, a  # a.add_links(b, role_name="from") is a link from b to a
            links.append(Link(kind, a, b, line, stereotypes, role=role, tagged=dict(tagged)))
        self.fragment.links.extend(links)
        return links

    def option_link(self, call: ast.Call, line: int) -> list[Link]:
        keywords = _keywords(call)
        args = list(call.args)
        if len(args) < 2:
            raise _Unsupported("add_decision_option_link needs a decision and an option")
        name_node = args[2] if len(args) > 2 else keywords.get("option_name")
        name = const_str(name_node, self.env) if name_node is not None else None
        if name_node is not None and name is None:
            raise _Unsupported("an option name that is not a string")
        links = [Link("option", d, o, line, name=name)
                 for d in _names(args[0], self.env) for o in _names(args[1], self.env)]
        self.fragment.links.extend(links)
        return links

    def force_relations(self, call: ast.Call, line: int) -> list[Link]:
        mapping = self._dict(call.args[0] if call.args else None)
        links = []
        for key, forces in zip(mapping.keys, mapping.values, strict=True):
            forces = self._dict(forces)
            for option in _names(key, self.env):
                for force_node, polarity in zip(forces.keys, forces.values, strict=True):
                    for force in _names(force_node, self.env):
                        links.append(Link("impact", option, force, getattr(force_node, "lineno", line),
                                          _stereotypes(polarity, self.env)))
        self.fragment.links.extend(links)
        return links

    def stereotyped_helper(self, call: ast.Call, line: int, tag: str | None) -> list[Link]:
        args = call.args
        if len(args) < 3:
            raise _Unsupported("a stereotyped-link helper needs from, to and a stereotype")
        stereotypes = _stereotypes(args[2], self.env)
        tagged = {tag: const_str(args[3], self.env)} if tag and len(args) > 3 else {}
        links = [Link(_classify("to", stereotypes, "other"), a, b, line, stereotypes, role="to", tagged=tagged)
                 for a in _names(args[0], self.env) for b in _names(args[1], self.env)]
        self.fragment.links.extend(links)
        return links

    def tagged_value(self, call: ast.Call) -> None:
        owner = call.func.value
        if isinstance(owner, ast.Name) and len(call.args) >= 2:
            key, value = const_str(call.args[0], self.env), const_str(call.args[1], self.env)
            for link in self.link_vars.get(owner.id, []):
                link.tagged[key] = value

    def _dict(self, node: ast.expr | None) -> ast.Dict:
        if isinstance(node, ast.Dict):
            return node
        if isinstance(node, ast.Name) and node.id in self.env.dicts:
            self.env.used.add(node.id)
            return self.env.dicts[node.id]
        raise _Unsupported("expected a dict (inline or a variable defined earlier)")

    def _tagged(self, node: ast.expr | None) -> dict:
        if node is None:
            return {}
        mapping = self._dict(node)
        return {const_str(k, self.env): const_str(v, self.env) for k, v in zip(mapping.keys, mapping.values,
                                                                                strict=True)}

    def _note(self, node: ast.stmt, message: str) -> None:
        self.fragment.diagnostics.append(_diagnostic(node, message, INFO, "ignored-statement"))


def _classify(role: str | None, stereotypes: tuple, default: str) -> str:
    role_key = (role or "").strip().lower()
    if role_key in CONTAINS_ROLES:
        return "contains"
    if role_key in CITES_ROLES:
        return "cites"
    if role_key in NEXT_ROLES or any(s in NEXT_DECISION_TYPES for s in stereotypes):
        return "next"
    if role_key in FORCE_ROLES or any(s in IMPACTS for s in stereotypes):
        return "impact"
    if role_key in CONTEXT_ROLES or any(s in CONTEXT_TYPES for s in stereotypes):
        return "context"
    if any(s in DEPENDENCY_TYPES for s in stereotypes) or role_key in ("from", "to"):
        return "dependency"
    return default


def _is_main_guard(node: ast.If) -> bool:
    return "__main__" in ast.unparse(node.test)


def _diagnostic(node: ast.stmt, message: str, severity: str = WARNING,
                problem: str = "unsupported-statement") -> Diagnostic:
    return Diagnostic(line=node.lineno, end_line=getattr(node, "end_lineno", None), problem=problem,
                      message=message, severity=severity, text=ast.unparse(node))
