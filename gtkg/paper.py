"""The paper's three tables, as CodeableModels studies print them: sources, forces and the decisions' overview.

Each is a Table whose Layout sets it for the paper (caption, label, widths, merged decision cells, shaded
evidence, the force legend); the table outputs write it as LaTeX, Markdown or CSV (`gtkg.outputs.render`).

- sources: ID, Title (italic), Tiny URL (a link, as every URL), Source Type, Example and Source Code (Yes/No);
- forces: ID (f1, f2, ... in the order of the force table), Force, Evidences (shaded by their number);
- overview: one block per decision: the decision and the number of sources that contain it or one of its
  options, then its options numbered 1., 2., ... with their evidence, and their impacts as force IDs with the
  polarity (f3(+), f12(--)); the legend lists every force with its evidence (f1: Security [s1, s4]).
"""

import re

from gtkg.errors import InputError
from gtkg.table import Layout, Table

PAPER_TABLES = ("sources", "forces", "overview")
RULES = ("booktabs", "ruled")
CAPTIONS = {
    "sources": "The sources of the study",
    "forces": "The forces and the sources that give evidence of them",
    "overview": "The decisions with the number of sources that give evidence of them, their options with that "
                "evidence, and the options' impacts on the forces",
}
WIDTHS = {
    "sources": {"ID": 4, "Title": 36, "Tiny URL": 24, "Source Type": 16, "Example": 8, "Source Code": 8},
    "forces": {"ID": 4, "Force": 30, "Evidences": 60},
    "overview": {"Decision": 24, "Sources": 8, "Options": 44, "Force Impacts": 24},
}


def paper_table(name: str, *, store, scope: str = "auto", caption: str | None = None, label: str | None = None,
                rules: str = "booktabs") -> Table:
    """One of the paper tables (sources, forces, overview) read from `store`, with its caption and label
    (defaults: CAPTIONS, tab:NAME) and rules (booktabs or ruled)."""
    from gtkg.design import design_space

    if name not in PAPER_TABLES:
        raise InputError(f"no paper table named {name!r}; choose one of {', '.join(PAPER_TABLES)}")
    table = paper_tables(design_space(store=store, scope=scope), rules=rules)[name]
    table.layout.caption = CAPTIONS[name] if caption is None else caption
    table.layout.label = f"tab:{name}" if label is None else label
    return table


def paper_tables(design, *, rules: str = "booktabs") -> dict[str, Table]:
    """The three tables of a DesignSpace, by name."""
    if rules not in RULES:
        raise InputError(f"unknown rules {rules!r}; choose one of {', '.join(RULES)}")
    tables = {"sources": sources_table(design), "forces": forces_table(design), "overview": overview_table(design)}
    for name, table in tables.items():
        table.layout.caption, table.layout.label, table.layout.rules = CAPTIONS[name], f"tab:{name}", rules
        table.layout.widths = WIDTHS[name]
    return tables


def sources_table(design) -> Table:
    rows = [[s["id"], s["title"], s["tiny_url"], s["type"], _yes_no(s["example"]), _yes_no(s["source_code"])]
            for s in design.sources]
    return Table(["ID", "Title", "Tiny URL", "Source Type", "Example", "Source Code"], rows,
                 Layout(emphasis=("Title",)))


def forces_table(design) -> Table:
    rows = [[design.force_ids[force.variable], force.label, force.sources] for force in design.forces]
    return Table(["ID", "Force", "Evidences"], rows,
                 Layout(shaded=("Evidences",), anchors=tuple(row[0] for row in rows)))


def overview_table(design) -> Table:
    rows, blocks, anchors = [], [], []
    for decision in design.decisions:
        count = len(decision_sources(decision))
        for number, option in enumerate(decision.options, 1):
            impacts = ", ".join(f"{impact.id}({impact.polarity})" for impact in option.impacts)
            title = f"{number}. {option.title} {_ids(option.code.sources)}".rstrip()
            rows.append([decision.code.label, count, title, impacts])
            anchors.append(option_anchor(decision, option))
        if not decision.options:
            rows.append([decision.code.label, count, "", ""])
            anchors.append("")
        blocks.append(max(1, len(decision.options)))
    legend = tuple(f"{design.force_ids[force.variable]}: {force.label} {_ids(force.sources)}".rstrip()
                   for force in design.forces)
    return Table(["Decision", "Sources", "Options", "Force Impacts"], rows,
                 Layout(merged=("Decision", "Sources"), blocks=tuple(blocks), anchors=tuple(anchors), legend=legend))


def decision_sources(decision) -> list[str]:
    """The sources that contain the decision or one of its options."""
    from gtkg.queries import natural_key

    found = set(decision.code.sources).union(*(option.code.sources for option in decision.options))
    return sorted(found, key=natural_key)


def option_anchor(decision, option) -> str:
    """The id of an option's row in the overview table (an option of two decisions has two rows)."""
    return anchor(decision.code.variable, "", option.code.variable)


def anchor(*parts: str) -> str:
    """An HTML id of parts joined by -, safe in any Markdown renderer."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", "-".join(parts))


def _ids(sources: list) -> str:
    return "[" + ", ".join(sources) + "]" if sources else ""


def _yes_no(value: str) -> str:
    """true/false as Yes/No (values that disagree across files, "true / false", stay visible)."""
    return " / ".join({"true": "Yes", "false": "No"}.get(part, part) for part in value.split(" / ")) if value else ""
