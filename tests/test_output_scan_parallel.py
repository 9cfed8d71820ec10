"""The build's output scan in worker processes (toolkit.site.output_scan.BackgroundScan) finds
what the scan in one process finds, in the same order, on a site large enough to use workers."""

from __future__ import annotations

from pathlib import Path

from toolkit.site.output_scan import PARALLEL_MIN_FILES, BackgroundScan, scan_output


def test_the_scan_in_workers_finds_what_one_process_finds(tmp_path: Path) -> None:
    files = []
    for number in range(PARALLEL_MIN_FILES + 50):
        page = Path(f"folder-{number // 40}") / f"page-{number}.html"
        body = f'<p><a href="page-{number + 1}.html">next</a></p>'
        if number % 70 == 3:   # a few pages, spread over the chunks, carry something active
            body += f'\n<img src="https://tracker.example/{number}.gif">\n<div onclick="go()">x</div>'
        (tmp_path / page).parent.mkdir(exist_ok=True)
        (tmp_path / page).write_text(f"<!DOCTYPE html>\n<html><body>{body}</body></html>\n", encoding="utf-8")
        files.append(page)
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "run.exe").write_bytes(b"MZ")
    files.append(Path("_images/run.exe"))

    found = BackgroundScan(tmp_path, files).findings()

    assert found == scan_output(tmp_path, files)
    assert "folder-0/page-3.html:3: src='https://tracker.example/3.gif' on <img> loads from another host" in found
    assert "folder-0/page-3.html:4: event-handler attribute 'onclick' on <div>" in found
    assert "_images/run.exe:1: a .exe file is not a type the site may publish" in found
    assert len(found) == 2 * len(range(3, PARALLEL_MIN_FILES + 50, 70)) + 1
