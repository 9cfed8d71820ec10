"""`toolkit editor-config`: the editor for a Git host (GitHub, GitLab), for an editorial workflow.

Writes a folder with the vendored Decap CMS, its page and the configuration generated from the
site, pointing at the Git host instead of the laptop's local server. Decap then saves each
page as a branch and a pull or merge request (drafts, review, publish), and CI builds the site
with `toolkit build` as usual. The folder is an admin app for authors, hosted apart from the
published site (which never contains the editor).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

from toolkit.commands.common import EXIT_ERRORS, EXIT_OK, load, print_problems
from toolkit.editor.backend import INDEX, STATIC
from toolkit.editor.config import editor_config


def export_editor(args: argparse.Namespace) -> int:
    site, problems = load(args)
    if site is None:
        print_problems(problems, "text", stream=sys.stderr)
        return EXIT_ERRORS
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(STATIC / "decap-cms", out / "decap-cms", dirs_exist_ok=True)
    shutil.copy2(STATIC / "editor.css", out / "editor.css")
    page = (INDEX.replace('<script src="editor.js"></script>\n', "")   # a Git host has a real login
            .replace('<script src="panel.js"></script>\n', ""))       # and no toolkit server to ask
    (out / "index.html").write_text(page.format(name=site.settings.name), encoding="utf-8")
    config = editor_config(site, git_backend(args))
    (out / "config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    print(f"toolkit editor-config: wrote the editor for {args.backend} ({args.repo}) to {out}", file=sys.stderr)
    return EXIT_OK


def git_backend(args: argparse.Namespace) -> dict[str, str]:
    """Decap's backend settings for the repository: a self-hosted GitLab needs its API address
    as well as its login address, and a GitLab OAuth application logs in with PKCE."""
    backend = {"name": args.backend, "repo": args.repo, "branch": args.branch}
    if args.base_url:
        backend["base_url"] = args.base_url.rstrip("/")
        if args.backend == "gitlab":
            backend["api_root"] = f"{backend['base_url']}/api/v4"
    if args.backend == "gitlab" and args.app_id:
        backend |= {"auth_type": "pkce", "app_id": args.app_id}
    return backend
