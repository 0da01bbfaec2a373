"""The design document: the whole design space in one Markdown file that reads on GitHub.

Per decision: its evidence, its options (numbered, with their evidence and their force impacts as
`Force (polarity) [sources]`), the decisions that follow it, and its Mermaid diagram. Options and forces
link to their rows in the paper tables (`paper/overview.md`, `paper/forces.md`, written beside it by
`gtkg build`); each source id links to the quotes behind it, listed at the end with their file:line. The
sources of an impact are those that contain both the option and the force; they link to the quotes behind
the force.
"""

import re

OVERVIEW = "paper/overview.md"
FORCES = "paper/forces.md"
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~])")


def write(space, output) -> str:
    from gtkg.paper import decision_sources

    quoted = set()  # (code, source) pairs linked to, whose quotes are listed at the end
    out = ["# Design space", "", _INTRO, ""]
    out += [f"- [{_md(d.code.label)}](#{_decision_anchor(d)})" for d in space.decisions] or ["No decisions."]
    for decision in space.decisions:
        out += ["", f'<a id="{_decision_anchor(decision)}"></a>', "", f"## {_md(decision.code.label)}", ""]
        evidence = _sources(space, decision.code, decision.code.sources, quoted) or "none"
        out.append(f"Evidence: {evidence}. Sources with the decision or one of its options: "
                   f"{len(decision_sources(decision))}.")
        out += ["", "Options:", ""] if decision.options else ["", "No options.", ""]
        for number, option in enumerate(decision.options, 1):
            out += _option(space, decision, option, number, quoted)
        out += _next(space, decision)
        out += ["", "```mermaid", _mermaid(space, decision).rstrip("\n"), "```"]
    out += _quotes(space, quoted)
    return "\n".join(out) + "\n"


_INTRO = ("The decisions of the study, each with the sources that give evidence of it, its options with their "
          "evidence and force impacts, the decisions that follow, and its diagram. Source ids link to the quotes "
          f"behind them (under Quotes, with file and line); options and forces link to their rows in the "
          f"[overview]({OVERVIEW}) and [forces]({FORCES}) tables.")


def _option(space, decision, option, number: int, quoted: set) -> list[str]:
    from gtkg.paper import option_anchor

    kind = f", {option.code.kind}" if option.code.kind else ""
    named = f" ({_md(option.code.label)}{kind})" if option.name and option.name != option.code.label else (
        f" ({option.code.kind})" if option.code.kind else "")
    evidence = _sources(space, option.code, option.code.sources, quoted)
    out = [f"{number}. [{_md(option.title)}]({OVERVIEW}#{option_anchor(decision, option)}){named}"
           + (f": {evidence}" if evidence else "")]
    for impact in option.impacts:
        sources = _sources(space, impact.force, impact.sources, quoted)
        out.append(f"   - [{_md(impact.force.label)}]({FORCES}#{impact.id}) ({_md(impact.polarity)})"
                   + (f" [{sources}]" if sources else ""))
    return out


def _next(space, decision) -> list[str]:
    if not decision.next:
        return []
    out = ["", "Next decisions:", ""]
    for link in decision.next:
        target = space.code(link.end)
        start = "" if link.start == decision.code.variable else f" after {_md(space.code(link.start).label)}"
        types = f" ({_md(', '.join(link.types))})" if link.types else ""
        out.append(f"- [{_md(target.label)}](#{_anchor('d', target.variable)}){types}{start}")
    return out


def _sources(space, code, sources: list, quoted: set) -> str:
    """Source ids, each linked to the quotes of `code` in that source where there are any."""
    cited = {quote.source for quote in space.quotes.get(code.variable, [])}
    links = []
    for source in sources:
        if source in cited:
            quoted.add((code.variable, source))
            links.append(f"[{_md(source)}](#{_anchor('q', code.variable, source)})")
        else:
            links.append(_md(source))
    return ", ".join(links)


def _quotes(space, quoted: set) -> list[str]:
    if not quoted:
        return []
    out = ["", "## Quotes"]
    for variable, quotes in space.quotes.items():
        shown = [q for q in quotes if (variable, q.source) in quoted]
        if shown:
            out += ["", f"### {_md(space.code(variable).label)}"]
        for n, quote in enumerate(shown):
            if n == 0 or shown[n - 1].source != quote.source:
                out += ["", f'<a id="{_anchor("q", variable, quote.source)}"></a>{_md(quote.source)}:']
            lines = quote.text.splitlines() or [""]
            out += [""] + [f"> {_md(line)}" for line in lines] + [f"> ({_md(quote.file)}:{quote.line})"]
    return out


def _mermaid(space, decision) -> str:
    from gtkg.diagrams import decision_diagram
    from gtkg.outputs import get

    output = get("mermaid", "diagram")
    return output.writer().write(decision_diagram(space, decision), output)


def _decision_anchor(decision) -> str:
    return _anchor("d", decision.code.variable)


def _anchor(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", "-".join(parts))


def _md(text: str) -> str:
    """Text as Markdown shows it: its markup characters escaped, line breaks as spaces."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text)).replace("\n", " ")
