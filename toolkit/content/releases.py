"""The record of released versions (releases.json beside this module): each release's date and
the hash and title of every published shipped page. The changelog is written from it, and
`toolkit report overrides` reads the shipped page's own history from it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

RELEASES = Path(__file__).resolve().parent / "releases.json"


def page_hash(text: str) -> str:
    """The hash of a page's text, line endings normalised so a checkout on Windows agrees."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def read_releases(path: Path = RELEASES) -> list[dict[str, Any]]:
    """Releases oldest first: {"version", "date", "pages": {id: {"sha256", "title"}}}."""
    return json.loads(path.read_text(encoding="utf-8"))["releases"] if path.is_file() else []
