"""The unsafe-markup scan: one test per attack (code, message, file line), and near-misses."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO
from toolkit.checks.markup import (
    AUTHOR_DIRECTIVES,
    GENERATED_DIRECTIVES,
    find_unsafe_markup,
    is_dangerous_url,
    is_remote_url,
)

F = "```"
FIRST_LINE = 10  # the body starts on file line 10, after front matter


def found(body: str) -> list[tuple[int, str, str]]:
    return [(p.line, p.code, p.message) for p in find_unsafe_markup(body, "page.md", FIRST_LINE)]


def only(body: str) -> tuple[int, str, str]:
    problems = found(body)
    assert len(problems) == 1, problems
    return problems[0]


ATTACKS = [
    # (name, body, line offset in body, code, words in the message)
    ("html-block", "Intro\n\n<script>alert(1)</script>\n", 2, "unsafe-html", "{kbd} / {abbr}"),
    ("html-inline", "Text <img src=x onerror=alert(1)> more\n", 0, "unsafe-html", "HTML is not allowed"),
    ("html-comment", "<!-- hidden -->\n", 0, "unsafe-html", "HTML block"),
    ("raw", f"\n{F}{{raw}} html\n<script>x</script>\n{F}\n", 1, "unsafe-directive", "{raw} directive"),
    ("raw-case", f"{F}{{RaW}} html\nx\n{F}\n", 0, "unsafe-directive", "{RaW} directive"),
    ("raw-colon", ":::{raw} html\nx\n:::\n", 0, "unsafe-directive", "{raw} directive"),
    ("raw-role", "A {raw:html}`<b>x</b>` here\n", 0, "unsafe-role", "{raw:html} role"),
    ("eval-rst", f"{F}{{eval-rst}}\n.. raw:: html\n{F}\n", 0, "unsafe-directive", "write MyST Markdown"),
    ("include", f"{F}{{include}} ../secret.md\n{F}\n", 0, "unsafe-directive", "{include}"),
    ("literalinclude", f"{F}{{literalinclude}} /etc/passwd\n{F}\n", 0, "unsafe-directive", "paste the text"),
    ("csv-file", f"{F}{{csv-table}}\n:file: /etc/passwd\n{F}\n", 1, "unsafe-directive", ":file:"),
    ("csv-url", f"{F}{{csv-table}}\n:url: https://x.example/a.csv\n{F}\n", 1, "unsafe-directive", ":url:"),
    ("role-directive", f"{F}{{role}} r(raw)\n:format: html\n{F}\n", 0, "unsafe-directive", "roles"),
    ("js-link", "[a](javascript:alert(1))\n", 0, "unsafe-url", "'javascript:'"),
    ("js-mixed-case", "[a](JaVaScRiPt:alert(1))\n", 0, "unsafe-url", "'javascript:'"),
    ("js-entity", "[a](java&#115;cript:alert(1))\n", 0, "unsafe-url", "'javascript:'"),
    ("js-percent", "[a](java%09script:alert(1))\n", 0, "unsafe-url", "'javascript:'"),
    ("js-leading-space", "[a](< javascript:alert(1)>)\n", 0, "unsafe-url", "'javascript:'"),
    ("js-autolink", "<javascript:alert(1)>\n", 0, "unsafe-url", "link uses"),
    ("js-reference", "[r]: javascript:alert(1)\n", 0, "unsafe-url", "link definition [R]"),
    ("vbscript", "[a](vbscript:msgbox(1))\n", 0, "unsafe-url", "'vbscript:'"),
    ("data-link", "[a](data:text/html,<script>x</script>)\n", 0, "unsafe-url", "'data:'"),
    ("data-image", "![a](data:image/svg+xml,x)\n", 0, "unsafe-url", "image uses a 'data:'"),
    ("download-role", "{download}`file <javascript:alert(1)>`\n", 0, "unsafe-url", "{download} role"),
    ("button-link", f"{F}{{button-link}} javascript:alert(1)\nGo\n{F}\n", 0, "unsafe-url", "{button-link}"),
    ("card-link", ":::{card} T\n:link: javascript:alert(1)\nBody\n:::\n", 1, "unsafe-url", ":link:"),
    ("attrs-inline", '[a](https://ok.example){onclick="alert(1)"}\n', 0, "unsafe-attribute", "'onclick'"),
    ("attrs-image", '![a](p.png){onerror="x"}\n', 0, "unsafe-attribute", "'onerror'"),
    ("attrs-block", 'Intro\n\n{#id .c onload="x"}\nPara\n', 3, "unsafe-attribute", "'onload'"),
    ("directive-option", f"{F}{{note}}\n:onclick: x\nBody\n{F}\n", 1, "unsafe-attribute", ":onclick:"),
    ("remote-image", "![p](https://track.example/p.gif)\n", 0, "remote-image", "content folder"),
    ("remote-image-host", "![p](//track.example/p.gif)\n", 0, "remote-image", "another host"),
    ("image-directive", f"{F}{{image}} http://track.example/p.gif\n{F}\n", 0, "remote-image", "{image}"),
    ("figure-directive", f"{F}{{figure}} https://t.example/f.png\nCap\n{F}\n", 0, "remote-image", "{figure}"),
    ("card-image", ":::{card} T\n:img-top: https://t.example/a.png\n:::\n", 1, "remote-image", ":img-top:"),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://x.example">\n', 0,
     "unsafe-meta-refresh", "<meta http-equiv>"),
    ("meta-directive", f"{F}{{meta}}\n:http-equiv=refresh: 0\n{F}\n", 0, "unsafe-meta-refresh", "redirects"),
    ("octicon-class", '{octicon}`check;1em;x"onmouseover="alert(1)`\n', 0, "unsafe-role",
     "plain class names"),
    ("octicon-size", '{octicon}`check;1em"><iframe src=x>`\n', 0, "unsafe-role", "plain class names"),
    ("material-class", '{material-regular}`home;2em;x"><iframe src="//evil.example">`\n', 0, "unsafe-role",
     "icon fonts"),
    ("fontawesome", "{fab}`github`\n", 0, "unsafe-role", "icon fonts"),
    ("unknown-role", "{pep}`8` here\n", 0, "unsafe-role", "not one the toolkit supports"),
    ("math-role", "Area {math}`\\pi r^2`\n", 0, "unsafe-role", "write it in words"),
    ("dollar-math", "Area $$\\pi r^2$$ here\n", 0, "unsafe-role", "write it in words"),
    ("math-directive", f"{F}{{math}}\nx^2\n{F}\n", 0, "unsafe-directive", "write it in words"),
    ("unknown-directive", f"{F}{{only}} html\nother\n{F}\n", 0, "unsafe-directive", "not one the toolkit supports"),
    ("csv-cell", f"{F}{{csv-table}}\n:header: a, b\n\n1, [x](javascript:alert(1))\n{F}\n", 3, "unsafe-url",
     "'javascript:'"),
    ("csv-quoted-cell", f'{F}{{csv-table}}\n\n"a, b", "![p](https://t.example/p.gif)"\n{F}\n', 2,
     "remote-image", "another host"),
    # links that are not web addresses: MyST shows them as plain text
    ("file-link", "[a](file:///etc/passwd)\n", 0, "link-scheme", "'file:' address"),
    ("file-entity", "[a](fi&#108;e:///etc/passwd)\n", 0, "link-scheme", "'file:' address"),
    ("smb-link", "[a](smb://server/share/a.docx)\n", 0, "link-scheme", "'smb:'"),
    ("tel-link", "[call us](tel:+441632960000)\n", 0, "link-scheme", "'tel:'"),
    ("ftp-autolink", "<ftp://files.example/a.pdf>\n", 0, "link-scheme", "'ftp:'"),
    ("file-reference", "[f]: file:///c:/x\n", 0, "link-scheme", "link definition [F]"),
    ("button-link-scheme", f"{F}{{button-link}} onenote:///x\nGo\n{F}\n", 0, "link-scheme", "{button-link}"),
    ("card-link-scheme", ":::{card} T\n:link: smb://x/y\nBody\n:::\n", 1, "link-scheme", ":link:"),
    ("image-target-scheme", f"{F}{{image}} a.png\n:alt: A\n:target: file:///etc/passwd\n{F}\n", 2, "link-scheme",
     ":target:"),
    ("badge-link-scheme", "{bdg-link-primary}`go <file:///x>`\n", 0, "link-scheme", "{bdg-link-primary}"),
    ("drive-link", "[a](C:\\Users\\me\\a.docx)\n", 0, "windows-path", "network drive"),
    ("share-link", "[a](\\\\server\\share\\a.docx)\n", 0, "windows-path", "'\\server\\share\\a.docx'"),
    ("octicon-unknown", "{octicon}`chek`\n", 0, "unknown-icon", "did you mean 'check'?"),
    ("octicon-unknown-sized", "{octicon}`not-an-icon;2em`\n", 0, "unknown-icon", "no icon 'not-an-icon'"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "body", "offset", "code", "words"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attack_is_refused_with_line_and_fix(
    name: str, body: str, offset: int, code: str, words: str
) -> None:
    line, got_code, message = only(body)
    assert (line, got_code) == (FIRST_LINE + offset, code)
    assert words in message
    assert "\n" not in message


def test_nested_card_in_grid_in_admonition_is_found_at_its_line() -> None:
    body = (
        "Intro\n\n"
        "::::{admonition} Outer\n"  # line 2
        ":::{grid} 2\n"
        "```{grid-item-card} Card\n"
        ":link: javascript:alert(1)\n"  # line 5
        "Body with <span>html</span>\n"  # line 6
        "```\n:::\n::::\n"
    )
    assert [(line, code) for line, code, _ in found(body)] == [
        (FIRST_LINE + 5, "unsafe-url"),
        (FIRST_LINE + 6, "unsafe-html"),
    ]


def test_used_reference_is_reported_at_use_and_definition() -> None:
    body = "See [a][r].\n\n[r]: javascript:alert(1)\n"
    assert [(line, code) for line, code, _ in found(body)] == [
        (FIRST_LINE, "unsafe-url"),
        (FIRST_LINE + 2, "unsafe-url"),
    ]


def test_yaml_directive_options_are_checked() -> None:
    body = f"{F}{{card}} T\n---\nlink: javascript:alert(1)\n---\nBody\n{F}\n"
    assert [(line, code) for line, code, _ in found(body)] == [(FIRST_LINE + 2, "unsafe-url")]


def test_every_attack_on_one_page_is_reported() -> None:
    body = "\n\n".join(a[1] for a in ATTACKS)
    assert len(found(body)) == len(ATTACKS)


@pytest.mark.parametrize(
    "body",
    [
        "A link to [guidance](https://www.gov.uk/guidance) and <https://www.gov.uk>.\n",
        "Press {kbd}`Ctrl+P`; {abbr}`PSW (Principal Social Worker)` leads.\n",
        f"{F}html\n<script>alert(1)</script>\n<div onclick='x'>\n{F}\n",
        "    <script>indented code is text</script>\n",
        "Inline `<script>` code is text, and so is 3 < 4 > 2.\n",
        "![A genogram](images/genogram.png) ![root](/images/a.png)\n",
        f"{F}{{image}} images/a.png\n:alt: A\n:target: https://www.gov.uk\n{F}\n",
        ":::{card} T\n:link: https://www.gov.uk\n:img-top: images/a.png\n:::\n",
        f"{F}{{button-link}} https://www.gov.uk\nGo\n{F}\n",
        "{download}`Template <templates/plan.docx>` and {doc}`chronologies` {ref}`sec`\n",
        "[mail](mailto:psw@anytown.example) [a](#section) [b](chronologies.md)\n",
        '[a](https://ok.example){.external #x title="T"}\n',
        "{octicon}`check;1em;sd-text-success`\n",
        f"{F}{{note}}\nThe word javascript: in text, and onclick= too.\n{F}\n",
        f"{F}{{code-block}} html\n<script>x</script>\n{F}\n",
        "Dates 2024-03-02, statement KSS-PS-7, version 1.2.3.\n",
        "Press {guilabel}`Save`, {menuselection}`Case --> Close`, {file}`a.docx`, {kbd}`Ctrl+S`, "
        "H{sub}`2`O, {abbr}`PSW (Principal Social Worker)`, {bdg-primary}`new`\n",
        f"{F}{{toctree}}\n:caption: Contents\n\ngenograms\n{F}\n",
        f"{F}{{csv-table}}\n:header: a, b\n\n1, [gov](https://www.gov.uk)\n{F}\n",
        "::::{tab-set}\n:::{tab-item} A\nText\n:::\n::::\n\n:::{dropdown} More\nHidden\n:::\n",
        "Choose {guilabel}`File: Open`; {octicon}`check-circle;1.5em` {octicon}`alert`\n",
        ":::{note} Note: this\nText\n:::\n\n:::{card} T\n:link: genograms\n:link-type: doc\n:::\n",
        "[a](HTTPS://www.gov.uk) [b](<https://www.gov.uk/a b>)\n",
    ],
)
def test_near_misses_are_fine(body: str) -> None:
    assert found(body) == []


@pytest.mark.parametrize(
    "url",
    [
        "javascript:x",
        " JAVASCRIPT:x",
        "\x01javascript:x",
        "java\tscript:x",
        "&#106;avascript:x",
        "data:,x",
        "vbscript:x",
    ],
)
def test_dangerous_urls(url: str) -> None:
    assert is_dangerous_url(url)


def test_remote_and_local_urls() -> None:
    assert is_remote_url("https://x.example/a.png") and is_remote_url("//x/a.png")
    assert is_remote_url("\\\\host\\a.png")
    assert not is_remote_url("images/a.png") and not is_remote_url("/images/a.png")
    assert not is_dangerous_url("https://www.gov.uk/javascript:x")


def test_every_directive_the_builder_registers_is_allowed_or_generated() -> None:
    """The build switches off what the allow-lists do not name, so a directive added to the builder
    but not to them would vanish from every page without a word."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "builder").glob("*.py"))
    registered = set(re.findall(r'add_directive\("([^"]+)"', source))
    assert registered and registered <= AUTHOR_DIRECTIVES | GENERATED_DIRECTIVES, \
        registered - (AUTHOR_DIRECTIVES | GENERATED_DIRECTIVES)
