"""The saturation figure, as SVG or PDF: the codes found so far over the sources in the order they were coded
(a line), and the new codes each source brought (bars).

Drawn with matplotlib, the optional extra `plots` (pip install 'gtkg[plots]'); without it, write raises a
MissingToolError that says so. The files are the same bytes for the same curve (no dates, fixed ids).
"""

import base64
import io
import json
import sys

from gtkg.errors import MissingToolError

WIDTH, HEIGHT = 6.4, 3.2  # inches: a figure across one column of a paper
INSTALL = "pip install 'gtkg[plots]'"


def write(curve, output) -> bytes:
    """The figure of a saturation curve (a Table with columns source, new and total)."""
    return draw(curve.dicts(), [output.extension])[output.extension]


def draw(rows: list[dict], extensions) -> dict[str, bytes]:
    """The figure of a saturation curve's rows, drawn once and saved in each format (svg, pdf): extension ->
    bytes. (Plain arguments and result, so that it can run in another process.)"""
    pyplot = _pyplot()
    positions = range(len(rows))
    files = {}
    with pyplot.rc_context({"svg.hashsalt": "gtkg", "svg.fonttype": "none", "font.size": 8}):
        figure, axes = pyplot.subplots(figsize=(WIDTH, HEIGHT))
        try:
            axes.bar(positions, [row["new"] for row in rows], color="#9fb7d9", label="new codes")
            axes.plot(positions, [row["total"] for row in rows], color="#4c72b0", marker=".", label="codes so far")
            axes.set_xticks(list(positions), [row["source"] for row in rows], rotation=90,
                            fontsize=6 if len(rows) > 40 else 8)
            axes.set_xlabel("sources, in the order they were coded")
            axes.set_ylabel("codes")
            axes.legend(frameon=False)
            figure.tight_layout()
            for extension in extensions:
                buffer = io.BytesIO()
                metadata = {"Date": None} if extension == "svg" else {"CreationDate": None}
                figure.savefig(buffer, format=extension, metadata=metadata)
                files[extension] = buffer.getvalue()
        finally:
            pyplot.close(figure)
    return files


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display: draw to files only
        from matplotlib import pyplot
    except ImportError as exc:
        raise MissingToolError(f"the saturation figure needs matplotlib ({exc}); install it with {INSTALL}") \
            from exc
    return pyplot


def main() -> None:
    """`python -m gtkg.outputs.figure`: draw() in a process of its own (gtkg build runs it beside its other work):
    {"rows": [...], "extensions": [...]} as JSON on stdin, {extension: base64 bytes} as JSON on stdout; a
    failure is a non-zero exit (the caller then draws the figure itself, raising what there is to say)."""
    asked = json.load(sys.stdin)
    files = draw(asked["rows"], asked["extensions"])
    json.dump({extension: base64.b64encode(data).decode("ascii") for extension, data in files.items()}, sys.stdout)


if __name__ == "__main__":
    main()
