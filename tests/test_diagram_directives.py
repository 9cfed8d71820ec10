"""The diagram directives in a real (tiny) Sphinx build: file paths, inline YAML, warnings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "diagrams"
F = "```"

CONF = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
extensions = ["myst_parser", "builder.diagrams"]
"""

PAGES = {
    "index.md": f"""# Diagrams

{F}{{genogram}} data/three-generations.genogram.yaml
:caption: The family, three generations
{F}

{F}{{eco-map}} /data/support.ecomap.yaml
{F}

{F}{{chronology}} data/history.chronology.yaml
:caption: A's chronology
{F}

{F}{{timeline}} data/history.chronology.yaml
{F}

{F}{{genogram}}
people:
  - {{id: a, label: Solo, sex: female, born: 1990}}
{F}
""",
    "symbols.md": f"""# Symbols

{F}{{genogram-symbols}}
{F}
""",
    "broken.md": f"""# Broken

{F}{{genogram}}
people:
  - {{id: a, label: A, sex: female}}
unions:
  - {{partners: [a, nobody], status: married}}
{F}

{F}{{eco-map}} ../../outside.ecomap.yaml
{F}

{F}{{timeline}} data/missing.chronology.yaml
{F}

{F}{{chronology}}
{F}

{F}{{eco-map}}
:caption: With a caption the body starts lower

centre: {{label: A}}
systems:
  - {{label: School, strength: huge}}
{F}
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    src = tmp_path_factory.mktemp("diagram-site")
    (src / "conf.py").write_text(CONF)
    shutil.copytree(DATA, src / "data")
    for name, text in PAGES.items():
        (src / name).write_text(text)
    out = src / "_build"
    warnings = src / "warnings.txt"
    status = build_main(["-q", "-b", "html", "-w", str(warnings), str(src), str(out)])
    assert status == 0
    return out, warnings.read_text()


def test_genogram_svg_is_accessible(site: tuple[Path, str]) -> None:
    html = (site[0] / "index.html").read_text()
    svgs = re.findall(r"<svg [^>]*>", html)
    assert len(svgs) == 4  # genogram, eco-map, timeline, inline genogram
    for tag in svgs:
        assert 'role="img"' in tag
        ids = re.search(r'aria-labelledby="([^"]+)"', tag)[1].split()
        for ident in ids:
            assert f'id="{ident}"' in html
    assert html.count("<title id=") == 4 and html.count("<desc id=") == 4
    assert "<figcaption>The family, three generations</figcaption>" in html
    assert "Mother (female, born 1985) — child of Grandfather and Grandmother" in html
    assert "School: strong connection; energy and resources flow both ways" in html
    body = html.split('<div class="body" role="main">')[1].split('<div class="sphinxsidebar"')[0]
    assert "<svg" in body and "style=" not in body   # inline styles would break the CSP
    assert not re.search(r"<svg[^>]*style=", html)


def test_chronology_table_in_date_order(site: tuple[Path, str]) -> None:
    html = (site[0] / "index.html").read_text()
    table = html[html.index('<table class="tk-chron-table">'):]
    table = table[: table.index("</table>")]
    dates = re.findall(r'<time datetime="([^"]+)"', table)
    assert dates == ["2023-11", "2024", "2024-03", "2024-03-02", "2024-05"]
    assert "<caption>A&#x27;s chronology</caption>" in table
    assert 'class="tk-chron-filters" hidden="hidden"' in html
    assert "diagrams.js" in html and "diagrams.css" in html
    assert (site[0] / "_static" / "diagrams.js").exists()


def test_unique_ids_on_one_page(site: tuple[Path, str]) -> None:
    html = (site[0] / "index.html").read_text()
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_broken_directives_warn_with_location(site: tuple[Path, str]) -> None:
    warnings = site[1]
    assert re.search(r"broken\.md:7: WARNING: unknown person 'nobody' in partners", warnings)
    assert "leads outside the content root" in warnings
    assert "missing.chronology.yaml' does not exist" in warnings
    assert "the chronology has no data" in warnings
    assert re.search(r"broken\.md:24: WARNING: 'huge' is not an allowed strength", warnings)
    assert "index.md" not in warnings
    html = (site[0] / "broken.html").read_text()
    assert "<svg" not in html


def test_symbols_table_pictures_every_meaning(site: tuple[Path, str]) -> None:
    """The guide's symbols table: one row per symbol, each with its picture (the key's own
    drawing, hidden from screen readers since the meaning is in the next cell)."""
    from toolkit.diagrams.genogram import symbol_meanings

    html = (site[0] / "symbols.html").read_text()
    table = re.search(r'<table class="tk-symbols-table".*?</table>', html, re.S)[0]
    rows = re.findall(r"<tr><td>(<svg.*?</svg>)</td><td>(.*?)</td></tr>", table, re.S)
    assert [text for _, text in rows] == [text for _, text in symbol_meanings()]
    assert len(rows) >= 35
    for picture, _ in rows:
        assert 'aria-hidden="true"' in picture and ("<path" in picture or "<rect" in picture
                                                     or "<circle" in picture or "<polygon" in picture)
    meanings = " ".join(text for _, text in rows)
    for words in ("Identical twins", "Trans woman", "Not known (?)", "Stillbirth", "kinship care",
                  "Mental ill health", "Lived together, now apart"):
        assert words in meanings
