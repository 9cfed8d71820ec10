"""The preview keeps the published site's promise: after each rebuild of `toolkit serve`, the files
Sphinx wrote go through the same final scan as a build (toolkit.output_scan), and any file it
finds something in is withheld from the preview: a page is replaced by a notice naming what was
found, any other file emptied, and the finding listed in the preview's problem banner.

Only files changed since the last scan are read again (by size and modification time), so an
edit costs a scan of the pages Sphinx rewrote, not of the whole site.
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path

from toolkit.build import site_files
from toolkit.output_scan import scan_output
from toolkit.protocol import MANIFEST
from toolkit.serve import PREVIEW_PROBLEMS
from toolkit.staging import write_if_changed

STATE = "preview-scan.json"      # beside the served folder: what each file was when last scanned
FINDING_CODE = "unsafe-output"
_HINT = ("the page is withheld from the preview and toolkit build would publish nothing: remove what "
         "is named, and please report it, since toolkit check should have refused it")


def withheld_page(findings: list[str]) -> bytes:
    """What the preview shows instead of a page the scan refused."""
    items = "".join(f"<li>{escape(finding)}</li>" for finding in findings)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Not shown in the preview</title></head><body><main>"
            "<h1>This page is not shown in the preview</h1>"
            "<p>It would carry something a reader's browser would run, or fetch from another host, "
            f"so a build would not publish it:</p><ul>{items}</ul>"
            "<p>Fix it and save again. Please report this: the check should have refused it.</p>"
            "</main></body></html>\n").encode()


def scan_preview(html: Path) -> dict[str, list[str]]:
    """Scan what changed since the last scan, withhold what fails; every file's findings, by path."""
    state_file = html.parent / STATE
    try:
        known = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    manifest = json.loads((html.parent / MANIFEST).read_text(encoding="utf-8"))
    current: dict[str, list] = {}
    changed = []
    for relative in site_files(html):
        info = (html / relative).stat()
        seen = known.get(relative.as_posix())
        if seen and seen[:2] == [info.st_mtime_ns, info.st_size]:
            current[relative.as_posix()] = seen
        else:
            changed.append(relative)
    found: dict[str, list[str]] = {}
    for finding in scan_output(html, changed, manifest["settings"].get("base_url")):
        found.setdefault(finding.split(":", 1)[0], []).append(finding)
    for relative in changed:
        path = html / relative
        findings = found.get(relative.as_posix(), [])
        if findings:
            path.write_bytes(withheld_page(findings) if relative.suffix == ".html" else b"")
        info = path.stat()
        current[relative.as_posix()] = [info.st_mtime_ns, info.st_size, findings]
    state_file.write_text(json.dumps(current), encoding="utf-8")
    return {path: seen[2] for path, seen in current.items() if seen[2]}


def show_in_banner(html: Path, findings: dict[str, list[str]]) -> None:
    """The banner lists the check's problems (toolkit.serve writes them) and then these."""
    banner = html / PREVIEW_PROBLEMS
    try:
        listed = [p for p in json.loads(banner.read_text(encoding="utf-8")) if p.get("code") != FINDING_CODE]
    except (OSError, ValueError):
        listed = []
    for path, lines in sorted(findings.items()):
        for finding in lines:
            _, line, what = finding.split(":", 2)
            listed.append({"path": f"{path} (as built)", "line": int(line), "severity": "error",
                           "message": what.strip(), "hint": _HINT, "code": FINDING_CODE})
    write_if_changed(banner, json.dumps(listed, indent=1).encode("utf-8"))


if __name__ == "__main__":   # `toolkit serve` runs this after each rebuild, before indexing
    served = Path(sys.argv[1])
    unsafe = scan_preview(served)
    show_in_banner(served, unsafe)
    for findings in unsafe.values():
        for finding in findings:
            print(f"toolkit serve: unsafe output withheld from the preview: {finding}", file=sys.stderr)
