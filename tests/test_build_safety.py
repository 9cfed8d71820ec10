"""Defence in depth: a page carrying an attack, built with validation skipped, has no script.

One tiny Sphinx project, built once, with one page per attack and the MyST settings
recommended for the project's conf.py; then every page's main content is searched.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from builder.safety import strip_page_configuration
from toolkit.content.publishable import active_content

ROOT = Path(__file__).resolve().parents[1]

CONF = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
extensions = ["myst_parser", "sphinx_design", {{safety}}]
myst_enable_extensions = ["attrs_block", "attrs_inline", "colon_fence", "deflist",
                          "fieldlist", "strikethrough", "tasklist"]
myst_disable_syntax = ["html_block", "html_inline"]
"""

F = "```"
ATTACKS: dict[str, str] = {
    "html-block": "<script>alert(1)</script>\n\n<div onclick='alert(1)'>x</div>\n",
    "html-inline": "Text <img src=x onerror=alert(1)> and <span onmouseover=alert(1)>y</span>\n",
    "raw-directive": f"{F}{{raw}} html\n<script>alert(1)</script>\n{F}\n",
    "raw-upper": f"{F}{{RAW}} html\n<script>alert(1)</script>\n{F}\n",
    "raw-role": "{raw:html}`<script>alert(1)</script>` {raw}`<script>alert(1)</script>`\n",
    "eval-rst-raw": f"{F}{{eval-rst}}\n.. raw:: html\n\n   <script>alert(1)</script>\n{F}\n",
    "eval-rst-role": (
        f"{F}{{eval-rst}}\n.. role:: r(raw)\n   :format: html\n\n:r:`<script>alert(1)</script>`\n{{F}}\n"
    ),
    "include": f"{F}{{include}} /etc/passwd\n{F}\n\n{F}{{include}} ../../../../../etc/passwd\n{F}\n",
    "literalinclude": f"{F}{{literalinclude}} ../../../../../../etc/passwd\n{F}\n",
    "csv-table-file": f"{F}{{csv-table}}\n:file: ../../../../../../etc/passwd\n{F}\n",
    "javascript-link": (
        "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](java&#115;cript:alert(1))"
        " <javascript:alert(1)> [d][r]\n\n[r]: javascript:alert(1)\n"
    ),
    "data-link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n",
    "vbscript-link": "[x](vbscript:msgbox(1))\n",
    "attrs-inline": '[c](https://ok.example){onclick="alert(1)"} ![i](p.png){onerror="alert(1)"}\n',
    "attrs-block": '{#x .c onload="alert(1)"}\nA paragraph.\n',
    "button-link": f"{F}{{button-link}} javascript:alert(1)\nGo\n{F}\n",
    "card-link": ":::{card} Title\n:link: javascript:alert(1)\nBody\n:::\n",
    "grid-card-link": (
        "::::{grid} 2\n:::{grid-item-card} Title\n:link: javascript:alert(1)\n"
        ":img-top: https://track.example/t.gif\nBody\n:::\n::::\n"
    ),
    "remote-image": (
        f"![p](https://track.example/p.gif)\n\n{F}{{image}} https://track.example/i.gif\n{F}\n\n"
        f"{F}{{figure}} //track.example/f.gif\n{F}\n"
    ),
    "data-image": "![p](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)\n",
    "meta-refresh": (
        '<meta http-equiv="refresh" content="0; url=https://evil.example">\n\n'
        f"{F}{{eval-rst}}\n.. meta::\n   :http-equiv=refresh: 0; url=https://evil.example\n{F}\n"
    ),
    "front-matter-html": (
        "---\nmyst:\n  disable_syntax: []\n  html_meta:\n"
        '    "http-equiv=refresh": "0; url=https://evil.example"\n---\n'
        "<script>alert(1)</script>\n"
    ),
    "octicon-class": '{octicon}`check;1em;x"onmouseover="alert(1)`\n',
    "octicon-size": '{octicon}`check;1em"><iframe src="//evil.example"></iframe>`\n',
    "material-class": (
        '{material-regular}`home;2em;x"><iframe src="data:text/html,x"></iframe>'
        '<meta http-equiv="refresh" content="0;url=https://evil.example">`\n'
    ),
    "fontawesome": '{fab}`github;x"><iframe src="//evil.example">`\n',
    "math": f"Area {{math}}`\\pi r^2`\n\n{F}{{math}}\nx^2\n{F}\n",
    "csv-cell": f"{F}{{csv-table}}\n:header: a, b\n\n1, [x](javascript:alert(1))\n2, ![p](https://t.example/p.gif)\n{F}\n",
    "download-html": "{download}`a page <page.htm>` {download}`x <page.xhtml>` ![i](page.html)\n",
    "unlisted-directive": f"{F}{{sidebar}} T\n[x](javascript:alert(1))\n{F}\n\n{F}{{only}} html\nx\n{F}\n",
}

PAYLOAD = "{{{{ lipsum.__globals__['os'].mkdir({marker!r}) }}}}"


def build(tmp: Path, pages: dict[str, str], safety: bool = True) -> tuple[Path, str]:
    src, out = tmp / "src", tmp / "out"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(
        CONF.replace("{safety}", '"builder.safety"' if safety else ""), encoding="utf-8"
    )
    toc = "\n".join(pages)
    (src / "index.md").write_text(f"# Index\n\n{F}{{toctree}}\n{toc}\n{F}\n", encoding="utf-8")
    for name, text in pages.items():
        body = text if text.startswith("---") else f"# {name}\n\n{text}"
        (src / f"{name}.md").write_text(body, encoding="utf-8")
    warnings = tmp / "warnings.txt"
    build_main(["-q", "-b", "html", "-w", str(warnings), str(src), str(out)])
    return out, warnings.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return build(tmp_path_factory.mktemp("safety"), ATTACKS)


def main_content(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    match = re.search(r'role="main">(.*?)<div class="sphinxsidebar"', text, re.S)
    assert match, "page has no main content"
    return match.group(1)


def assert_no_script(content: str, full: str) -> None:
    """What a reader's browser must never get from a page's content: script, handlers, script
    URLs, remote images, a refresh, or a file from the build machine."""
    decoded = html.unescape(content).lower()
    assert "<script" not in content.lower()
    assert not re.search(r"""<[^>]*[\s"'/]on[a-z]+\s*=""", content, re.I)
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*(?:javascript|vbscript|data):""", decoded)
    assert not re.search(r"""<img[^>]*src\s*=\s*["']?(?:[a-z]+:|//)""", content, re.I)
    assert not re.search(r"<meta[^>]*http-equiv=.refresh", full, re.I)
    assert "root:x:0" not in full
    # every <script> on the page is the theme's own, loading a file from _static
    for tag in re.findall(r"<script[^>]*>(.*?)</script>", full, re.S):
        assert "alert" not in tag


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_built_page_carries_no_script(site: tuple[Path, str], name: str) -> None:
    out, _ = site
    full = (out / f"{name}.html").read_text(encoding="utf-8")
    assert_no_script(main_content(out / f"{name}.html"), full)
    assert not re.search(r"<meta[^>]*http-equiv", full, re.I)
    # the publishing scan finds nothing in the content either: no frame, handler, script or other host
    assert active_content(main_content(out / f"{name}.html")) == []
    assert "mathjax" not in full.lower()
    assert not re.search(r"""(?:href|src)="[^"]*\.x?html?\"""", main_content(out / f"{name}.html"))


def test_removals_are_warned_with_type_and_location(site: tuple[Path, str]) -> None:
    _, warnings = site
    assert re.search(r"card-link\.md:\d+: WARNING: unsafe content: link .*\[toolkit\.unsafe\]", warnings)
    assert re.search(r"remote-image\.md:\d+: WARNING: unsafe content: image .*\[toolkit\.unsafe\]", warnings)
    assert re.search(r"front-matter-html\.md:2: WARNING: front matter key 'myst'", warnings)
    assert re.search(r"material-class\.md:3: WARNING: unsafe content: the \{material-regular\} role is not "
                     r"allowed.*\[toolkit\.unsafe\]", warnings)
    assert re.search(r"math\.md:3: WARNING: unsafe content: the \{math\} role .*write it in words", warnings)
    assert re.search(r"download-html\.md:3: WARNING: unsafe content: download replaced by its text: \.htm ", warnings)
    assert re.search(r"download-html\.md:3: WARNING: unsafe content: image removed: \.html files", warnings)
    assert re.search(r"unlisted-directive\.md:3: WARNING: unsafe content: the \{sidebar\} directive is not one",
                     warnings)


def test_substitution_payload_does_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    page = (
        "---\nmyst:\n  enable_extensions: [substitution]\n---\n# Sub\n\n"
        + PAYLOAD.format(marker=str(marker))
        + "\n"
    )
    out, warnings = build(tmp_path / "site", {"sub": page})
    assert not marker.exists()
    assert "front matter key 'myst' is not allowed" in warnings
    assert "lipsum" in main_content(out / "sub.html")  # left as plain text


def test_substitution_payload_runs_without_the_safety_extension(tmp_path: Path) -> None:
    """Why the front matter stripping exists: MyST merges a page's `myst:` key into the
    project's configuration, so the recommended conf values alone do not stop this."""
    marker = tmp_path / "MARKER"
    page = "---\nmyst:\n  enable_extensions: [substitution]\n---\n# Sub\n\n" + PAYLOAD.format(
        marker=str(marker)
    )
    build(tmp_path / "site", {"sub": page}, safety=False)
    assert marker.exists()


def test_strip_keeps_line_numbers_and_other_keys() -> None:
    text = "---\ntitle: T\nmyst:\n  enable_extensions:\n  - substitution\nid: x\n---\n# H\n"
    new, removed = strip_page_configuration(text)
    assert removed == [("myst", 3)]
    assert new.count("\n") == text.count("\n")
    assert "substitution" not in new and "title: T" in new and "id: x" in new


@pytest.mark.parametrize(
    "front",
    [
        "base: &b {myst: {enable_extensions: [substitution]}}\n<<: *b\n",  # YAML merge key
        '"m\\x79st": {enable_extensions: [substitution]}\n',  # escaped key
        "substitutions: {a: b}\n",
        "html_meta: {x: y}\n",
    ],
)
def test_strip_defeats_tricks(front: str) -> None:
    from myst_parser.config.main import read_topmatter

    new, removed = strip_page_configuration(f"---\n{front}---\n# H\n")
    assert removed
    assert not {"myst", "substitutions", "html_meta"} & set(read_topmatter(new) or {})


def test_page_without_configuration_keys_is_untouched() -> None:
    text = "---\ntitle: T\n---\n# H\n"
    assert strip_page_configuration(text) == (text, [])
