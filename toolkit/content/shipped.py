"""Where the toolkit's own files are: the Sphinx configuration and the shipped content.

In a checkout they are the top level (`conf.py`, `content/`, beside `toolkit/`). An installed
wheel carries the same two as package data in `toolkit/_shipped/` (pyproject.toml maps them
there), because a wheel cannot put folders at the top of site-packages without clashing with
other packages. Both layouts give the same pair, so nothing else needs to know which it is.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_INSTALLED = _PACKAGE / "_shipped"


def _project_folder() -> Path:
    """The installed copy when there is one, else the checkout's top level."""
    return _INSTALLED if (_INSTALLED / "conf.py").is_file() else _PACKAGE.parent


PROJECT = _project_folder()          # holds conf.py: the only configuration Sphinx is given
CONTENT = PROJECT / "content"        # the "@toolkit" content root
