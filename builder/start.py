"""sphinx-build, started before the toolkit has checked and staged the pages.

Importing Sphinx, MyST, sphinx-design, Furo and this builder costs about 0.7 s of one core, on
every build. `toolkit build` starts this process first and checks the pages meanwhile, so the
two overlap on a second core. The build begins only when `go` arrives on stdin; anything else
(the check failed, or the toolkit stopped and closed the pipe) ends the process unused.
"""

from __future__ import annotations

import importlib
import sys

from sphinx.cmd.build import main

from toolkit.build import GO

# What Sphinx would import while setting up (builder.config names the extensions and theme).
PRELOADED = ("sphinx.application", "sphinx.builders.html", "myst_parser", "sphinx_design", "furo", "builder")


def run(argv: list[str]) -> int:
    for name in PRELOADED:
        importlib.import_module(name)
    if sys.stdin.readline().strip() != GO:
        return 0
    return main(argv)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
