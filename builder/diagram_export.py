"""Each drawn diagram as files of its own: an SVG to download and a full-size page to view or print.

Both work without JavaScript: "View full size" and "Download SVG" are plain links to files
the build writes next to the pages (`_diagrams/`), so a reader with scripting off, or a
locked-down council laptop, can still put a genogram in a case file. Only "Download PNG" is
made in the browser (diagrams.js). The SVG file is drawn black on white with the few styles
it needs, so it reads the same outside the site; the view page prints on A4 landscape.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.site.staging import write_if_changed

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

FOLDER = "_diagrams"
STORE = "toolkit_diagram_exports"   # env attribute: docname -> the file stems of its diagrams
VIEW_CSS = "diagram-view.css"
_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_VIEW_BOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"')
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.DOTALL)
_DESC = re.compile(r"<desc[^>]*>(.*?)</desc>", re.DOTALL)
_FIGURE = re.compile(r"<figure\b[^>]*>")
_EXPORT_NAME = re.compile(r'data-tk-export="([^"]*)"')
#: The page's own style sheet gives ages a halo; a file on its own needs it written in.
_STANDALONE_STYLE = (".tk-age{paint-order:stroke;stroke:#fff;stroke-width:3px;"
                     "stroke-linejoin:round;font-weight:600}")


def diagram_svg(fragment: str) -> str | None:
    """The diagram's own <svg> in the rendered fragment (the first one: the drawing)."""
    found = _SVG.search(fragment)
    return found.group(0) if found else None


def standalone_svg(svg: str) -> str:
    """The drawing as a file: its natural size, black on a white background."""
    box = _VIEW_BOX.search(svg)
    x, y, width, height = box.groups() if box else ("0", "0", "800", "600")
    opening_end = svg.index(">") + 1
    opening = re.sub(r'\swidth="[^"]*"', "", svg[:opening_end - 1])
    opening += f' width="{width}" height="{height}" color="#000">'
    background = f'<rect x="{x}" y="{y}" width="100%" height="100%" fill="#fff" stroke="none"/>'
    style = f"<style>{_STANDALONE_STYLE}</style>"
    body = svg[opening_end:]
    # After <title> and <desc>, so they stay the file's accessible name and description.
    desc_end = body.find("</desc>")
    cut = desc_end + len("</desc>") if desc_end > -1 else 0
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + opening + body[:cut] + style + background
            + body[cut:] + "\n")


def _text_of(pattern: re.Pattern[str], svg: str, default: str) -> str:
    """An element's text as it stands in the SVG (already HTML-escaped)."""
    found = pattern.search(svg)
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split()) if found else default


def _text_equivalent(fragment: str) -> str:
    """The list describing the drawing (every person, relationship or system), as rendered."""
    start = fragment.find('<div class="tk-diagram-text"')
    return fragment[start:fragment.rfind("</div>")] if start > -1 else ""


def view_page(svg: str, text: str, svg_file: str, download: str, back_href: str, policy: str,
              lang: str) -> str:
    """The "View full size" page: the drawing at its natural size (scrolls on a small screen),
    printed on an A4 landscape page, then its text equivalent as a list."""
    title = _text_of(_TITLE, svg, "Diagram")
    alt = _text_of(_DESC, svg, title)
    return f"""<!DOCTYPE html>
<html lang="{escape(lang)}">
<head>
<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title} (full size)</title>
<link rel="stylesheet" href="../_static/{VIEW_CSS}">
</head>
<body>
<main role="main">
<h1>{title}</h1>
<p class="tk-view-links"><a href="{escape(back_href)}">Back to the page</a>
<a href="{escape(svg_file)}" download="{escape(download)}">Download SVG</a></p>
<div class="tk-view-canvas" tabindex="0" role="region" aria-label="{title} (scrolls on a small screen)">
<img src="{escape(svg_file)}" alt="{alt}">
</div>
{text}
</main>
</body>
</html>
"""


def export_bar(title: str, view_href: str, svg_href: str, download: str) -> str:
    """The links above a diagram; diagrams.js adds "Download PNG" to them."""
    return (f'<div class="tk-diagram-actions" role="group" aria-label="Save or enlarge: {title}">'
            f'<a class="tk-diagram-action" href="{escape(view_href)}">View full size</a>'
            f'<a class="tk-diagram-action" href="{escape(svg_href)}" download="{escape(download)}">'
            "Download SVG</a></div>")


def export_stem(docname: str, serial: str) -> str:
    return f"{docname.replace('/', '-')}-{serial}"


def _store(env: BuildEnvironment) -> dict[str, list[str]]:
    if not hasattr(env, STORE):
        setattr(env, STORE, {})
    return getattr(env, STORE)


def note_export(env: BuildEnvironment, docname: str, serial: str) -> None:
    """Record, while reading, that the page has this diagram: its files are then kept."""
    _store(env).setdefault(docname, []).append(export_stem(docname, serial))


def view_pages(env: BuildEnvironment) -> list[str]:
    """The full-size pages of this build, named like Sphinx's pages (without `.html`)."""
    return [f"{FOLDER}/{stem}" for stems in _store(env).values() for stem in stems]


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _store(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    _store(env).update({d: s for d, s in _store(other).items() if d in docnames})


def remove_stale(app: Sphinx, exception: Exception | None) -> None:
    """Delete the files of diagrams no longer on any page, so a removed genogram is never published."""
    folder = Path(app.outdir) / FOLDER
    if exception is not None or app.builder.format != "html" or not folder.is_dir():
        return
    current = {stem for stems in _store(app.env).values() for stem in stems}
    for path in folder.iterdir():
        if path.name.split(".")[0] not in current:
            path.unlink()


def with_exports(fragment: str, outdir: Path, docname: str, serial: str, policy: str, lang: str) -> str:
    """The rendered diagram with its export links, after writing `_diagrams/PAGE-SERIAL.svg`
    and `.html`; a fragment without a drawing (a chronology's table) comes back unchanged."""
    svg, figure = diagram_svg(fragment), _FIGURE.search(fragment)
    if svg is None or figure is None:
        return fragment
    stem = export_stem(docname, serial)
    named = _EXPORT_NAME.search(figure.group(0))
    download = f"{named.group(1) if named else stem}.svg"
    folder = outdir / FOLDER
    write_if_changed(folder / f"{stem}.svg", standalone_svg(svg).encode())
    back = "../" * (docname.count("/") + 1) + f"{docname}.html"
    page = view_page(svg, _text_equivalent(fragment), f"{stem}.svg", download, back, policy, lang)
    write_if_changed(folder / f"{stem}.html", page.encode())
    root = "../" * docname.count("/")
    bar = export_bar(_text_of(_TITLE, svg, "diagram"), f"{root}{FOLDER}/{stem}.html",
                     f"{root}{FOLDER}/{stem}.svg", download)
    return fragment[:figure.end()] + bar + fragment[figure.end():]
