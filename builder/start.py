"""sphinx-build, started before the toolkit has checked and staged the pages.

Importing Sphinx, MyST, sphinx-design, Furo and this builder costs about 0.7 s of one core, on
every build. `toolkit build` starts this process first and checks the pages meanwhile, so the
two overlap on a second core. The build begins only when `go` arrives on stdin; anything else
(the check failed, or the toolkit stopped and closed the pipe) ends the process unused.
"""

from __future__ import annotations

import importlib
import os
import sys

from sphinx.cmd.build import main

from toolkit.core.protocol import START_SIGNAL, stock_sphinx

# What Sphinx imports while setting up: its own extensions (a private list of Sphinx's, so not
# preloaded with STOCK_SPHINX_VARIABLE=1), then those builder.config names (MyST and sphinx-design
# keep theirs in submodules), the theme and the page templates' engine.
PRELOADED = ("myst_parser.sphinx_ext.main", "sphinx_design.extension", "furo", "builder",
             "sphinx.jinja2glue")


def preload() -> None:
    """Import what Sphinx will import while setting up (not with STOCK_SPHINX_VARIABLE=1)."""
    if not stock_sphinx(os.environ):
        from sphinx.application import builtin_extensions

        for name in (*builtin_extensions, *PRELOADED):
            importlib.import_module(name)


def run(argv: list[str]) -> int:
    preload()
    if sys.stdin.readline().strip() != START_SIGNAL:
        return 0
    return main(argv)


if __name__ == "__main__":
    status = run(sys.argv[1:])
    # Everything is written by now; tearing down the environment's objects one by one took a
    # few tenths of a second at 1,000 pages, for nothing.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
