"""`toolkit init DIR`: start an organisation's own site folder, outside any checkout.

It writes the settings, one local page, a branding folder, a README for the web team and CI
files for GitHub Actions and GitLab CI that install the pinned toolkit, check, build and keep
the site as an artefact. The contact addresses are placeholders that fail `toolkit check`
until filled, so a site never goes live with them. It writes only into a new or empty folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from toolkit import __version__
from toolkit.commands.common import EXIT_OK, UsageError, today

DISTRIBUTION = "practice-leadership-toolkit"
# The commands both CI files run, in order, and the README repeats: one list, so they agree.
CI_COMMANDS = (
    "python -m pip install -r requirements.txt",
    "toolkit check",
    "toolkit report overrides --fail-on-change",
    "toolkit build --out public",
)

SETTINGS = """\
# Settings of your organisation's practice toolkit site. Paths are relative to this file.
# The authoring contract is the site's own "How to contribute" page (contribute.html).
name: {name}
organisation: {organisation}
# logo: branding/logo.svg          # put your logo in branding/ and remove the # at the start
colours: {{primary: "#1d4f91"}}      # your brand colour; refused if text on it fails WCAG AA contrast
contact:                             # shown on every page: fill both in before you publish
  email: "fill in: your PSW team's email address"
  accessibility: "fill in: where readers report an accessibility problem"
content: ["@toolkit", local]       # the shipped pages, then yours (a page with the same id replaces it)
# hide: [signs-of-safety]          # shipped pages you do not publish
"""

EXAMPLE_PAGE = """\
---
id: local-arrangements
kind: page
title: Our local arrangements
summary: >-
  Where to find our local procedures, who to ask for help, and how this site is kept up to date.
owner: Principal Social Worker
status: published
last_reviewed: {today}
review_by: {review_by}
---
# Our local arrangements

This page is yours to change. It shows how a local page sits beside the pages that come with
the toolkit.

## Who to ask

Ask your practice supervisor first. For questions about this site, write to the team named
at the foot of every page.

## Keeping this site up to date

Each page names its owner and the date it is next due for review. When the toolkit is
upgraded, the web team checks whether any shipped page you replaced has changed.
"""

GITIGNORE = """\
# What toolkit check and toolkit build write: rebuilt every time, never committed.
_build/
public/
"""

BRANDING = """\
Put your organisation's logo here (SVG or PNG), then set it in site.yaml:

    logo: branding/logo.svg
"""

REQUIREMENTS = """\
# The toolkit version this site is built with. To upgrade, change the number, then run
# `toolkit report overrides` to see which shipped pages you replaced have changed.
{distribution}=={version}
# Content packs (for example a regional baseline) go here too, each with its version.
"""

GITHUB_ACTIONS = """\
# Checks and builds the site on every push; the built site is kept as the artefact "site".
# The toolkit version is pinned in requirements.txt.
name: toolkit site
on: [push, pull_request, workflow_dispatch]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
{steps}      - uses: actions/upload-artifact@v4
        with:
          name: site
          path: public
"""

GITLAB_CI = """\
# Checks and builds the site on every push; the built site is kept as an artefact.
# The toolkit version is pinned in requirements.txt.
site:
  image: python:3.11
  script:
{script}  artifacts:
    paths:
      - public
"""

README = """\
# {name}: the site folder

This folder holds everything that makes {organisation}'s practice toolkit site: the settings
(`site.yaml`), your own pages (`local/`), your logo (`branding/`) and the CI files. The
shipped guidance comes from the installed toolkit ({distribution} {version}, pinned in
`requirements.txt`), so upgrading is changing one number.

## Before the first build

1. In `site.yaml`, replace the two `fill in:` contact addresses: `toolkit check` fails until
   you do.
2. Optionally add your logo to `branding/` and set `logo:` and `colours:` in `site.yaml`.

## Commands

```sh
python -m venv .venv && .venv/bin/pip install -r requirements.txt   # once
.venv/bin/toolkit check                # every problem, as file:line: message (how to fix)
.venv/bin/toolkit serve                # preview at http://127.0.0.1:8000/ while writing
.venv/bin/toolkit new page "Title"     # a new page in local/ to fill in
.venv/bin/toolkit build --out public   # the site: one folder of static files
```

Copy `public/` to any web server, under any path (`rsync -a --delete public/ server:/var/www/toolkit/`).
A failed build leaves the previous `public/` as it was.

## In CI

`.github/workflows/toolkit.yml` (GitHub Actions) and `.gitlab-ci.yml` (GitLab CI) run:

```sh
{commands}
```

and keep `public/` as the artefact to publish.

## Upgrading the toolkit

Change the version in `requirements.txt`. `toolkit report overrides` lists your pages that
replace shipped ones and shows what changed in each shipped page since yours was reviewed;
`--fail-on-change` stops the CI job until a Principal Social Worker has looked. The toolkit's
CHANGELOG lists the shipped pages added, changed and withdrawn in each version.

## Writing pages

The site's "How to contribute" page (`contribute.html`) is the full guide for authors: front
matter, page kinds, frameworks, diagrams and checks.
"""


def _ask(value: str | None, option: str, label: str, example: str) -> str:
    """The option's value, else the answer to a question when someone is at the keyboard."""
    if value is None:
        if not sys.stdin.isatty():
            raise UsageError(f'give the {label.lower()} with {option}, for example {option} "{example}" '
                             "(or run toolkit init in a terminal to be asked)")
        value = input(f"{label} (for example {example}): ")
    value = " ".join(value.split())
    if not value:
        raise UsageError(f"the {label.lower()} cannot be empty; give it with {option}")
    return value


def site_files(name: str, organisation: str, on: dt.date) -> dict[str, str]:
    """Every file `init` writes, by path relative to the new folder."""
    review_by = on + dt.timedelta(days=365)
    return {
        "site.yaml": SETTINGS.format(name=json.dumps(name), organisation=json.dumps(organisation)),
        "local/local-arrangements.md": EXAMPLE_PAGE.format(today=on.isoformat(), review_by=review_by.isoformat()),
        "branding/README.txt": BRANDING,
        ".gitignore": GITIGNORE,
        "requirements.txt": REQUIREMENTS.format(distribution=DISTRIBUTION, version=__version__),
        ".github/workflows/toolkit.yml": GITHUB_ACTIONS.format(
            steps="".join(f"      - run: {command}\n" for command in CI_COMMANDS)),
        ".gitlab-ci.yml": GITLAB_CI.format(script="".join(f"    - {command}\n" for command in CI_COMMANDS)),
        "README.md": README.format(name=name, organisation=organisation, distribution=DISTRIBUTION,
                                   version=__version__, commands="\n".join(CI_COMMANDS)),
    }


def init_site(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; give a new folder to create the site in")
    if folder.is_dir() and any(folder.iterdir()):
        present = ", ".join(sorted(p.name for p in folder.iterdir())[:5])
        raise UsageError(f"{folder} is not empty ({present}); nothing was written. Give a new or "
                         "empty folder: init never overwrites anything")
    name = _ask(args.name, "--name", "Site name", "Anytown Practice Toolkit")
    organisation = _ask(args.organisation, "--organisation", "Organisation", "Anytown Council")
    files = site_files(name, organisation, today(args))
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:   # "x": never replaces a file
            handle.write(text)
    print(f"toolkit init: created {folder} ({len(files)} files). Next: fill in the contact addresses "
          f"in {folder / 'site.yaml'}, then run `toolkit check` in that folder.", file=sys.stderr)
    return EXIT_OK
