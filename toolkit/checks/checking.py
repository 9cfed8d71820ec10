"""Checking a site: loading (content) with every lint run on what it reads.

The checks layer calls content loading, never the reverse: `load_site` shows each body and data
file to the `BodyLinter` as it reads them, so the lints run in worker processes meanwhile.
"""

from __future__ import annotations

import datetime as dt

from toolkit.checks.author_texts import personal_data_in_site_files
from toolkit.checks.page_lints import BodyLinter
from toolkit.content.bodies import site_allowed
from toolkit.content.loading import load_site
from toolkit.content.model import Settings, Site
from toolkit.core.problems import Problem


def check_site(settings: Settings, today: dt.date) -> tuple[Site, list[Problem]]:
    """Read every root in order and run every check on the merged site."""
    site, problems, bodies = start_checking(settings, today)
    return site, problems + bodies.problems(site)


def start_checking(settings: Settings, today: dt.date) -> tuple[Site, list[Problem], BodyLinter]:
    """All of `check_site` but the body lints' results: worker processes may still be linting
    (`BodyLinter.problems` waits for them), and a build starts Sphinx meanwhile."""
    bodies = BodyLinter(settings)
    site, problems = load_site(settings, today, bodies)
    problems += personal_data_in_site_files(site, site_allowed(settings))
    return site, problems, bodies
