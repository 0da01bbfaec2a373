"""Names a misspelt name probably means, for "did you mean ...?" in findings and diagnostics."""

from difflib import SequenceMatcher


def similar(name: str, candidates, most: int = 3) -> list[str]:
    """The candidates a misspelt name probably means: close by edit distance, or sharing most of its words
    (`observability_plane` -> `observation_plane`), best first.

    >>> similar("ci_cd_proces", ["ci_cd_process", "cd_pipeline", "process_mining"])
    ['ci_cd_process']
    >>> similar("postive", ["positive", "negative", "very_positive"])
    ['positive']
    """
    words = set(name.lower().split("_")) - {""}
    scored = []
    for candidate in candidates:
        if candidate == name:
            continue
        matcher = SequenceMatcher(None, name.lower(), candidate.lower())
        if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
            continue
        ratio = matcher.ratio()
        theirs = set(candidate.lower().split("_")) - {""}
        shared = len(words & theirs) / len(words | theirs) if words | theirs else 0.0
        if ratio >= 0.8 or (ratio >= 0.6 and shared >= 0.5):
            scored.append((-(ratio + shared), candidate))
    return [candidate for _, candidate in sorted(scored)[:most]]
