"""What the reader tells from syntax alone, before or instead of interpreting: which calls are CodeableModels
calls, which are harmless, whether code it does not run would create elements or call anything else, and the
shapes of statements it treats specially. These checks only walk `ast` trees.
"""

import ast

from gtkg.loaders.codeable.associations import snake
from gtkg.loaders.codeable.pyvalues import Module

# The CodeableModels calls gtkg interprets (snake_case; camelCase spellings are normalised first).
LINK_CALLS = {"add_links", "set_links", "add_decision_option_link", "add_force_relations",
              "add_stereotyped_design_solution_link", "add_stereotyped_link_with_how_tagged_value",
              "add_stereotyped_link_with_role_tagged_value", "set_tagged_value", "delete_links"}
CREATING_CALLS = LINK_CALLS | {"CClass"}
METAMODEL_CALLS = {"CMetaclass", "CStereotype", "CEnum", "CAssociation", "association"}
# Calls that build views or metamodels, or plain builtins: nothing for gtkg to read, nothing dangerous.
HARMLESS = {"CBundle", "CMetaclass", "CStereotype", "CEnum", "CObject", "CAssociation", "print", "len", "range",
            "list", "dict", "set", "tuple", "str", "sorted", "enumerate", "zip", "isinstance", "render",
            "generate", "PlantUMLGenerator", "Path"}
MODEL_METHODS = {"get_connected_elements", "association", "get_linked", "get_links", "get_links_for_association",
                 "get_value", "get_tagged_value", "get_objects", "get_opposite_object", "render", "delete_links",
                 "class_object", "all_classes", "get_elements", "instance_of", "is_classifier_of_type"}


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


def is_cclass(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and callee(node) == "CClass"


def declares_in_parallel(target: ast.expr, value: ast.expr) -> bool:
    """`a, b = CClass(...), CClass(...)`: names on the left, as many values on the right, a CClass among them."""
    return isinstance(target, ast.Tuple | ast.List) and isinstance(value, ast.Tuple | ast.List) \
        and len(target.elts) == len(value.elts) and all(isinstance(t, ast.Name) for t in target.elts) \
        and any(is_cclass(v) for v in value.elts) and not any(isinstance(v, ast.Starred) for v in value.elts)


def loop_of_calls(node: ast.stmt) -> bool:
    """`for name in ...:` over calls only (and such loops): nothing assigned, nothing skipped or branched."""
    return type(node) is ast.For and isinstance(node.target, ast.Name) and not node.orelse and all(
        type(statement) is ast.Expr and isinstance(statement.value, ast.Call) or type(statement) is ast.Pass
        or loop_of_calls(statement) for statement in node.body)


def plain_data(node: ast.expr) -> bool:
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


def function_kind(node: ast.FunctionDef) -> str:
    """forces: the add_force_relations helper; creates: other code creating elements; harmless otherwise."""
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        if callee(call) == "add_links" and any(kw.arg in ("role_name", "roleName") and
                                               isinstance(kw.value, ast.Constant) and kw.value.value == "forces"
                                               for kw in call.keywords):
            return "forces"
    return "creates" if creates(ast.Module(body=node.body, type_ignores=[]), {}) else "harmless"
