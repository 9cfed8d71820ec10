"""`toolkit init` from the checkout's own toolkit: asking when someone is at a terminal, and refusing
to write over anything. The installed-package path is tests/test_package.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import TODAY


def _init(*args: str, cwd: Path, stdin: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", "init", *args], cwd=cwd, capture_output=True,
                          text=True, stdin=stdin, timeout=120, env=os.environ | {"TOOLKIT_TODAY": TODAY})


def test_init_asks_for_the_name_and_organisation_in_a_terminal(tmp_path: Path) -> None:
    controller, terminal = os.openpty()
    os.write(controller, b"Northshire  Practice Toolkit\nNorthshire Council\n")
    try:
        made = _init("northshire", cwd=tmp_path, stdin=terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert made.returncode == 0, made.stderr
    assert "Site name (for example Anytown Practice Toolkit):" in made.stdout
    settings = (tmp_path / "northshire" / "site.yaml").read_text(encoding="utf-8")
    assert 'name: "Northshire Practice Toolkit"' in settings
    assert 'organisation: "Northshire Council"' in settings
    page = (tmp_path / "northshire" / "local" / "local-arrangements.md").read_text(encoding="utf-8")
    assert f"last_reviewed: {TODAY}" in page


def test_init_refuses_a_file_and_leaves_it_alone(tmp_path: Path) -> None:
    existing = tmp_path / "site"
    existing.write_text("notes\n")
    refused = _init(str(existing), "--name", "A", "--organisation", "B", cwd=tmp_path)
    assert refused.returncode == 2 and "is a file" in refused.stderr
    assert existing.read_text() == "notes\n"


def test_init_into_an_empty_folder_is_allowed_and_names_quote_safely(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    made = _init("empty", "--name", 'Anytown: "Practice" #1', "--organisation", "Anytown Council", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    checked = subprocess.run([sys.executable, "-m", "toolkit", "check", "--format", "json"], cwd=tmp_path / "empty",
                             capture_output=True, text=True, timeout=300)
    codes = {p["code"] for p in json.loads(checked.stdout) if p["severity"] == "error"}
    assert codes == {"settings-contact"}   # only the placeholders are left to fill in
    settings = yaml.safe_load((tmp_path / "empty" / "site.yaml").read_text(encoding="utf-8"))
    assert settings["name"] == 'Anytown: "Practice" #1'
