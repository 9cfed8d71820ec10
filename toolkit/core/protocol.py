"""What `toolkit` and the Sphinx process (`builder`) must agree on, named once for both sides.

The two run in separate processes and meet only through these names: an environment variable,
files in the build folders, a line on stdin, and markers in the HTML the builder writes for the
search indexer to read. Neither side writes one of them as a literal.
"""

from __future__ import annotations

# Environment of the Sphinx process
MANIFEST_VARIABLE = "TOOLKIT_MANIFEST"     # names the staged manifest the builder reads
STOCK_SPHINX_VARIABLE = "TOOLKIT_STOCK_SPHINX"   # "1": no early start, stock parallel read/write and env writing

# Files
MANIFEST = "manifest.json"                 # in the cache: settings, pages and data of this build
DOCS_LIST = "toolkit-docs.json"            # in Sphinx's output: every page of this build

# The line on stdin that tells the early-started Sphinx (`builder.start`) to build
START_SIGNAL = "go"

# `toolkit serve` and its warm Sphinx (`builder.warm`): a line on stdin asks for a rebuild, and
# the warm process answers with one line starting WARM_REPLY: the outcome (below) and a detail.
WARM_BUILD = "build"
# The steps of a warm rebuild whose seconds its reply carries after the Sphinx status, in order.
WARM_STEPS = ("check", "staging", "Sphinx reading", "Sphinx writing")
WARM_REPLY = "toolkit-warm:"
WARM_BUILT = "built"               # detail: Sphinx's exit status
WARM_CHECK_FAILED = "check-failed"  # the check found errors: the last good staging was kept
WARM_CRASHED = "crashed"           # detail: the exception; the process ends
WARM_STOPPED = "stopped"           # Ctrl+C reached it (or it was ended): nothing to report

# Markers in built HTML: the part of a page the search indexes, and parts within it it skips
SEARCH_START = "<!--toolkit-search-->"
SEARCH_END = "<!--/toolkit-search-->"
SKIP_START = "<!--toolkit-search-skip-->"
SKIP_END = "<!--/toolkit-search-skip-->"

# `toolkit build --pdf`: the builder lists each section's pages in order (SECTIONS_LIST, in
# Sphinx's output) and links the PDFs from section pages; the toolkit writes the PDFs into
# PDF_FOLDER and fills in the links' sizes.
SECTIONS_LIST = "toolkit-sections.json"
PDF_FOLDER = "pdf"
WHOLE_PDF = "toolkit"
PDF_LINK_CLASS = "toolkit-pdf-link"

# The generated glossary: its page (the builder writes it, the search indexer reads its terms), each
# term's anchor starts with TERM_PREFIX, and its search results' kind
GLOSSARY_DOC = "glossary"
TERM_PREFIX = "term-"
GLOSSARY_KIND = "Glossary"


def stock_sphinx(environ: dict[str, str]) -> bool:
    """Whether to leave out the speed work that relies on Sphinx's private code (see README)."""
    return environ.get(STOCK_SPHINX_VARIABLE, "") not in ("", "0")
