"""Preview latency: from a file written to `toolkit serve` answering with the changed HTML.

Four kinds of save, each several times on a synthetic site (bench/synthetic.py): a page body
(a new paragraph, on the page), its `maps_to` (the statement page lists it, or no longer does),
a diagram data file (the new label in the page's diagram) and an image (the served picture's
bytes). The server is polled every 20 ms; between saves the benchmark waits for the preview to
finish (its "preview updated" line and the search index), then PAUSE_SECONDS more, as an author
reads the page before saving again: the preview's warm Sphinx collects its garbage when it has had
no request for a second (builder/warm.py), and saves sent back to back would time that collection
(up to 0.8 s at 5,000 pages) instead of the save.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from collections.abc import Callable
from pathlib import Path

from bench.synthetic import page_specs, statement_ids

POLL_SECONDS = 0.02
START_TIMEOUT = 7200   # the first preview build of 5,000 pages runs serially
SAVE_TIMEOUT = 120
PAUSE_SECONDS = 2.0   # from the preview updated to the next save
UPDATED = "toolkit serve: preview updated in"
_STEP = re.compile(r"([A-Za-z][A-Za-z ]*?) (\d+\.\d+) s")   # "check 0.31 s" in the preview's line


def png(shade: int) -> bytes:
    """A 4x4 grey PNG: a different shade is a different file of the same size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes([shade]) * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.read()
    except OSError:
        return None


def _text(url: str) -> str:
    return (_get(url) or b"").decode("utf-8", "replace")


class Preview:
    """`toolkit serve` on a site, and a way to time one save."""

    def __init__(self, site: Path, env: dict[str, str]) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.log = site / "preview-bench.log"
        self.address = f"http://127.0.0.1:{port}/"
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "toolkit", "serve", "--site", str(site / "site.yaml"), "--port", str(port)],
                cwd=site, env=env | {"PYTHONUNBUFFERED": "1"}, stdout=output,
                stderr=subprocess.STDOUT, start_new_session=True)
        self._wait(lambda: _get(self.address + "index.html") is not None, START_TIMEOUT, "the first build")
        self._settle(1)

    def _wait(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"preview benchmark: no {what}:\n{self.log.read_text()[-2000:]}")
            time.sleep(POLL_SECONDS)

    def _updates(self) -> int:
        return self.log.read_text(encoding="utf-8", errors="replace").count(UPDATED)

    def _settle(self, updates: int) -> None:
        """Wait for `updates` rebuilds in all, and for the search index that follows each."""
        self._wait(lambda: self._updates() >= updates, SAVE_TIMEOUT, "rebuild")

    def time_save(self, save: Callable[[], None], shown: Callable[[], bool]) -> tuple[float, dict[str, float]]:
        """Seconds from the save to the change served, and the preview's own seconds for each step
        of the rebuild (check, staging, Sphinx reading and writing, scan and copy, search index)."""
        time.sleep(PAUSE_SECONDS)
        before = self._updates()
        started = time.perf_counter()
        save()
        self._wait(shown, SAVE_TIMEOUT, "changed page")
        elapsed = time.perf_counter() - started
        self._settle(before + 1)
        line = self.log.read_text(encoding="utf-8", errors="replace").split(UPDATED)[before + 1].split("\n")[0]
        return elapsed, {name.strip(): float(seconds) for name, seconds in _STEP.findall(line)}

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)


def prepare(site: Path, count: int) -> None:
    """Give one page a picture (the synthetic pages have none)."""
    spec = page_specs(count)[0]
    (site / "content" / spec.folder / "images").mkdir(exist_ok=True)
    (site / "content" / spec.folder / "images" / "bench.png").write_bytes(png(0))
    path = site / "content" / spec.folder / f"{spec.id}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n![A grey square](images/bench.png)\n", encoding="utf-8")


def measure_latency(site: Path, count: int, env: dict[str, str], saves: int = 3) -> dict[str, dict]:
    """Median seconds from the write to the changed HTML being served, per kind of save."""
    prepare(site, count)
    preview = Preview(site, env)
    results: dict[str, list[tuple[float, dict[str, float]]]] = {"page body": [], "maps_to": [], "data file": [],
                                                                  "image": []}
    try:
        for n in range(saves):
            for kind, timed in _one_round(preview, site, count, n).items():
                results[kind].append(timed)
    finally:
        preview.stop()
    return {kind: {"median_s": round(statistics.median(t for t, _ in timed), 2),
                   "all_s": [round(t, 2) for t, _ in timed],
                   "steps_median_s": {name: round(statistics.median(steps.get(name, 0.0) for _, steps in timed), 2)
                                      for name in timed[0][1]}}
            for kind, timed in results.items()}


def _one_round(preview: Preview, site: Path, count: int, n: int) -> dict[str, tuple[float, dict[str, float]]]:
    """One save of each kind; the `n`th round adds, then the next removes, the statement."""
    specs = page_specs(count)
    # Not the page bench/run.py's rebuild step edits (specs[count // 2]): that one names a statement
    # in its body, so its statement page would list it ("also mentioned in") whatever its maps_to.
    edited = specs[count // 2 + 1]
    drawn, pictured = next(s for s in specs if s.diagram == "genogram"), specs[0]
    page = site / "content" / edited.folder / f"{edited.id}.md"
    marker = f"Preview benchmark paragraph {n} {time.time_ns()}"   # new even on a site measured before
    text = page.read_text(encoding="utf-8")
    found = {"page body": preview.time_save(lambda: page.write_text(text + f"\n{marker}.\n", encoding="utf-8"),
                                            lambda: marker in _text(preview.address + f"{edited.id}.html"))}

    body = page.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    added = next(s for s in reversed(statement_ids()) if s not in edited.maps_to and s not in body)
    maps, wider = (f"maps_to: [{', '.join(ids)}]" for ids in (edited.maps_to, (*edited.maps_to, added)))
    text = page.read_text(encoding="utf-8")
    adding = maps in text
    edited_text = text.replace(maps, wider) if adding else text.replace(wider, maps)
    found["maps_to"] = preview.time_save(
        lambda: page.write_text(edited_text, encoding="utf-8"),
        lambda: (f'href="../{edited.id}.html"' in _text(preview.address + f"statements/{added}.html")) == adding)

    data = site / "content" / drawn.folder / "examples" / f"family-{drawn.folder}.genogram.yaml"
    label = f"Nan{n}x"
    lines = re.sub(r"label: Nan\w*,", f"label: {label},", data.read_text(encoding="utf-8"))
    found["data file"] = preview.time_save(lambda: data.write_text(lines, encoding="utf-8"),
                                           lambda: label in _text(preview.address + f"{drawn.id}.html"))

    picture = site / "content" / pictured.folder / "images" / "bench.png"
    shade = png(40 * (n + 1))
    found["image"] = preview.time_save(lambda: picture.write_bytes(shade),
                                       lambda: _served_picture(preview.address, pictured.id) == shade)
    return found


def _served_picture(address: str, page_id: str) -> bytes | None:
    found = re.search(r'<img[^>]+src="([^"]*bench[^"]*\.png)"', _text(address + f"{page_id}.html"))
    return _get(address + found.group(1)) if found else None


GOALS = {1000: 1.0, 5000: 2.0}   # seconds, the median of each kind of save (issue 22)


def preview_targets(preview: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each kind of save at the sizes with a goal."""
    found: list[tuple[str, str, bool | None]] = []
    for count, goal in GOALS.items():
        kinds = preview.get(count) or preview.get(str(count)) or {}
        for kind in ("page body", "maps_to", "data file", "image"):
            median = kinds.get(kind, {}).get("median_s")
            found.append((f"preview: {kind} saved to served within {goal:g} s at {count:,} pages (median)",
                          f"{median:.2f} s" if median is not None else "not run",
                          median <= goal if median is not None else None))
    return found
