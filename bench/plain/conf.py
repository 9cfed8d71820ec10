"""Plain Sphinx + MyST with the default theme (alabaster): the baseline the toolkit is timed against.

The same Markdown bodies as the toolkit's pages, with the same MyST syntax extensions and
sphinx-design. The toolkit's own directives (genogram, eco-map, chronology, timeline) and
{statement} role are registered as no-ops here, so plain Sphinx reads every page without
warnings and does none of the toolkit's work: diagrams, page facts, listings, navigation.
"""

from docutils import nodes
from docutils.parsers.rst import Directive, directives

project = "Benchshire Practice Toolkit (plain Sphinx)"
extensions = ["myst_parser", "sphinx_design"]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline", "attrs_block",
                          "strikethrough", "tasklist", "smartquotes"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]
html_theme = "alabaster"


class _Nothing(Directive):
    """Accepts the toolkit's diagram directives and renders nothing."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"caption": directives.unchanged}

    def run(self):
        return []


def _statement(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [nodes.Text(text)], []


def setup(app):
    for name in ("genogram", "eco-map", "chronology", "timeline"):
        app.add_directive(name, _Nothing)
    app.add_role("statement", _statement)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
