"""What an organisation hosting its own site gets: a strict Content-Security-Policy on every
page, a sitemap and canonical links from its base URL, a 404 page that works at any depth,
redirects for renamed pages, its local replacements listed on the about page, its footer
links, a print layout, a live preview, and independent builds of many organisations at once."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from conftest import SMALL_SITE, TODAY, SiteFolder, page

from builder.hosting import CONTENT_SECURITY_POLICY

BASE_URL = "https://intranet.anytown.example/toolkit/"
ANYTOWN = f"""name: Anytown Practice Toolkit
organisation: Anytown Council
colours: {{primary: "#7a1f5c"}}
contact: {{email: psw@anytown.example, accessibility: web@anytown.example}}
base_url: {BASE_URL}
content: [content, local]
hide: [old-guidance]
footer_links:
  - {{label: Intranet home, url: "https://intranet.anytown.example/"}}
  - {{label: Privacy notice, url: privacy.html}}
"""
LOCAL_SUPERVISION = (SMALL_SITE / "content" / "guides" / "reflective-supervision.md").read_text(
    encoding="utf-8").replace("# Reflective supervision", "# Reflective supervision in Anytown")


def organisation_site(folder: Path, settings: str, local: dict[str, str]) -> SiteFolder:
    """The small test site with these settings and these files in a second root, `local/`."""
    shutil.copytree(SMALL_SITE, folder)
    (folder / "site.yaml").write_text(settings, encoding="utf-8")
    for relative, text in local.items():
        path = folder / "local" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return SiteFolder(folder)


@pytest.fixture(scope="module")
def anytown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An organisation's site built once: a replaced page, a renamed page, a hidden page."""
    site = organisation_site(tmp_path_factory.mktemp("anytown") / "site", ANYTOWN, {
        "about.md": page("about", "What this site is.", title="About this toolkit"),
        "privacy.md": page("privacy", "How we use data.", title="Privacy"),
        "family.md": page("family", "```{genogram}\npeople:\n  - {id: a, label: A, sex: female}\n```",
                          title="A family"),   # a drawing has a full-size page of its own
        "reflective-supervision.md": LOCAL_SUPERVISION,
        "renamed.md": page("supervision-agreements", "Agree how supervision works. Older advice: "
                           "{doc}`old-guidance`; coming soon: {doc}`unfinished`.",
                           title="Supervision agreements", aliases="[supervision-contracts]"),
    })
    result = site.toolkit("build")
    assert result.status == 0, result.stderr[-3000:]
    assert "{doc} link to 'old-guidance': that page is hidden by the settings" in result.stdout + result.stderr
    # Sphinx itself does not warn: the hidden and draft pages' links are plain text.
    assert not [line for line in result.stderr.splitlines() if "WARNING" in line and "renamed.md" in line]
    return site.folder / "_build" / "html"


def html_of(folder: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((folder / name).read_text(encoding="utf-8"), "html.parser")


def test_every_page_carries_the_policy_and_nothing_inline(anytown: Path) -> None:
    pages = sorted(anytown.rglob("*.html"))
    assert len(pages) > 10 and anytown / "_diagrams" / "family-genogram-0.html" in pages
    for path in pages:
        soup = html_of(anytown, path.relative_to(anytown).as_posix())
        policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy is not None and policy["content"] == CONTENT_SECURITY_POLICY, path.name
        assert soup.head.find("meta") is policy, f"{path.name}: the policy must come first"
        assert soup.find("style") is None, f"{path.name}: inline <style>"
        assert [s for s in soup.find_all("script") if not s.get("src")] == [], f"{path.name}: inline <script>"
        assert [e.name for e in soup.find_all(style=True)] == [], f"{path.name}: style= attributes"
        assert [e.name for e in soup.find_all(lambda e: any(a.startswith("on") for a in e.attrs))] == []


def test_brand_colours_come_from_a_stylesheet(anytown: Path) -> None:
    css = (anytown / "_static" / "toolkit-brand.css").read_text(encoding="utf-8")
    assert "--color-brand-primary: #7a1f5c;" in css
    assert "--color-code-background" in css and 'body[data-theme="dark"]' in css
    links = [link["href"] for link in html_of(anytown, "index.html").find_all("link", rel="stylesheet")]
    assert any(href.startswith("_static/toolkit-brand.css") for href in links)


def test_sitemap_and_canonical_links_use_the_base_url(anytown: Path) -> None:
    tree = ElementTree.parse(anytown / "sitemap.xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {u.findtext("s:loc", namespaces=namespace): u.findtext("s:lastmod", namespaces=namespace)
            for u in tree.getroot().findall("s:url", namespace)}
    assert urls[BASE_URL + "genograms.html"] == "2026-09-01"
    assert BASE_URL + "index.html" in urls and BASE_URL + "statements/KSS-PS-1.html" in urls
    for absent in ("404", "search", "old-guidance", "unfinished", "supervision-contracts"):
        assert BASE_URL + absent + ".html" not in urls
    assert all((anytown / url.removeprefix(BASE_URL)).is_file() for url in urls)
    canonical = html_of(anytown, "genograms.html").find("link", rel="canonical")
    assert canonical["href"] == BASE_URL + "genograms.html"


def test_no_sitemap_without_a_base_url(small_site: SiteFolder) -> None:
    result = small_site.toolkit("build")
    assert result.status == 0, result.stderr[-3000:]
    html = small_site.folder / "_build" / "html"
    assert not (html / "sitemap.xml").exists()
    assert html_of(html, "genograms.html").find("link", rel="canonical") is None
    # Without a base URL the 404 page keeps relative links: it works at the site's root.
    assert html_of(html, "404.html").find("link", rel="stylesheet")["href"].startswith("_static/")


def test_404_page_uses_the_site_path_for_every_link(anytown: Path) -> None:
    soup = html_of(anytown, "404.html")
    urls = [e[attribute] for e in soup.find_all(["a", "link", "script", "img", "form"])
            for attribute in ("href", "src", "action") if e.get(attribute)]
    relative = [u for u in urls if not re.match(r"[a-z]+:|/|#", u)]
    assert relative == []
    assert "/toolkit/_static/styles/furo.css" in [u.split("?")[0] for u in urls]
    assert "/toolkit/index.html" in urls and "/toolkit/search.html" in urls
    assert soup.html["data-content_root"] == "/toolkit/"


def pagefind_urls(html: Path) -> set[str]:
    """The pages Pagefind indexed (each fragment is gzip'd JSON after a signature)."""
    return {json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
            for f in (html / "pagefind" / "fragment").glob("*.pf_fragment")}


def test_renamed_page_redirects_and_is_not_searchable(anytown: Path) -> None:
    soup = html_of(anytown, "supervision-contracts.html")
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh["content"] == "0; url=supervision-agreements.html"
    assert soup.find("a", href="supervision-agreements.html").get_text() == "Supervision agreements"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    indexed = pagefind_urls(anytown)
    assert "/supervision-agreements.html" in indexed
    assert not any("supervision-contracts" in url for url in indexed)


def test_about_page_lists_local_replacements_and_hidden_pages_are_gone(anytown: Path) -> None:
    heading = html_of(anytown, "about.html").find(id="local-versions")   # a section's anchor is on its heading
    assert heading is not None
    section = heading.find_parent("section")
    assert "Anytown Council has replaced" in section.get_text()
    assert [a["href"] for a in section.select("li a")] == ["reflective-supervision.html"]
    assert "in Anytown" in html_of(anytown, "reflective-supervision.html").h1.get_text()
    assert not (anytown / "old-guidance.html").exists()
    text = html_of(anytown, "supervision-agreements.html").find("article")
    assert "Older advice: Old guidance; coming soon: Unfinished thoughts." in " ".join(text.get_text().split())
    assert not any(a.get("href", "").startswith("old-guidance") for p in anytown.rglob("*.html")
                   for a in html_of(anytown, p.relative_to(anytown).as_posix()).find_all("a"))


def test_footer_links_from_the_settings(anytown: Path) -> None:
    for name, privacy in (("genograms.html", "privacy.html"), ("statements/KSS-PS-1.html", "../privacy.html")):
        nav = html_of(anytown, name).find("nav", class_="toolkit-footer-links")
        assert [(a.get_text(), a["href"]) for a in nav.find_all("a")] == [
            ("Intranet home", "https://intranet.anytown.example/"), ("Privacy notice", privacy)]
    report = html_of(anytown, "genograms.html").find("p", class_="toolkit-report").a
    assert report["href"].startswith("mailto:psw@anytown.example?subject=")


def test_print_layout(browser, served_site: str) -> None:
    """Chromium's print media on a page with diagrams: content only, within A4, footer shown."""
    context = browser.new_context(viewport={"width": 700, "height": 1000})   # about A4 less margins
    tab = context.new_page()
    tab.goto(served_site + "genograms.html")
    tab.emulate_media(media="print")
    for hidden in (".sidebar-drawer", ".toc-drawer", ".toolkit-breadcrumbs", ".toolkit-report"):
        assert not tab.locator(hidden).first.is_visible(), hidden
    footer = tab.locator(".toolkit-print-footer")
    assert footer.is_visible()
    text = footer.inner_text()
    assert "Uncontrolled when printed" in text and served_site + "genograms.html" in text
    assert time.strftime("%Y") in text
    written = time.strftime("%d %B %Y").lstrip("0")   # as people write it: "5 October 2026"
    assert f"on {written}." in " ".join(text.split()) and not re.search(r"\d{4}-\d\d-\d\d", text), text
    assert footer.locator("time").get_attribute("datetime") == time.strftime("%Y-%m-%d")
    widths = tab.evaluate("Array.from(document.querySelectorAll('article svg.tk-diagram-svg'))"
                          ".map(svg => svg.getBoundingClientRect().right)")
    assert widths and max(widths) <= 700
    external = tab.evaluate("(() => { const a = document.querySelector('article a[href^=\"http\"]');"
                            " return a && [a.href, getComputedStyle(a, '::after').content]; })()")
    assert external, "the printed page has an external link to spell out"
    assert external[0] in external[1] or "attr(href)" in external[1], external   # spelled out, not "none"
    assert len(tab.pdf(format="A4")) > 1000
    context.close()


def test_preview_omits_the_policy_shows_drafts_and_rebuilds_on_save(small_site: SiteFolder) -> None:
    """`toolkit serve` for real: live reload needs its own script, so no policy; drafts shown with a
    banner; an edit is rebuilt; a mistake is reported and the preview keeps running."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {"TOOLKIT_TODAY": TODAY, "PYTHONUNBUFFERED": "1"}
    log = small_site.folder / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "toolkit", "serve", "--site", str(small_site.settings),
                                   "--port", str(port)], cwd=small_site.folder, env=env,
                                  stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    address = f"http://127.0.0.1:{port}/"

    def get(name: str) -> str:
        with urllib.request.urlopen(address + name, timeout=5) as answer:
            return answer.read().decode("utf-8")

    def wait_for(condition, what: str, timeout: float = 90) -> None:  # noqa: ANN001
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            try:
                if condition():
                    return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"timed out waiting for {what}:\n{log.read_text()[-3000:]}")

    try:
        wait_for(lambda: "Genograms" in get("genograms.html"), "the first build")
        served = get("genograms.html")
        assert "Content-Security-Policy" not in served and "websocket-reload" in served   # live reload's script
        draft = get("unfinished.html")
        assert "toolkit-notice-draft" in draft
        source = small_site.content / "guides" / "genograms.md"
        source.write_text(source.read_text(encoding="utf-8") + "\nA freshly saved sentence.\n", encoding="utf-8")
        wait_for(lambda: "A freshly saved sentence." in get("genograms.html"), "the rebuilt page")
        source.write_text(source.read_text(encoding="utf-8").replace("kind: skill", "kind: skil"), encoding="utf-8")
        wait_for(lambda: "guides/genograms.md:" in log.read_text(), "the error message")
        assert "Traceback" not in log.read_text()
        assert "Genograms" in get("genograms.html")    # the last good preview is still served
    finally:   # the command and the warm Sphinx it runs: their own process group
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


SECOND = ANYTOWN.replace("Anytown", "Northshire").replace("anytown", "northshire").replace(
    "#7a1f5c", "#0b5e3a").replace("hide: [old-guidance]\n", "")


def test_two_organisations_build_side_by_side(tmp_path: Path) -> None:
    """Two organisations from one checkout at the same moment: each gets its own name, colours and
    local pages, in its own output folder."""
    sites = {
        "Anytown": organisation_site(tmp_path / "anytown", ANYTOWN, {
            "local-procedure.md": page("anytown-duty-procedure", "Anytown's duty rota.")}),
        "Northshire": organisation_site(tmp_path / "northshire", SECOND, {
            "local-procedure.md": page("northshire-panel-procedure", "Northshire's panel.")}),
    }
    env = os.environ | {"TOOLKIT_TODAY": TODAY}
    running = {name: subprocess.Popen([sys.executable, "-m", "toolkit", "build", "--site", str(site.settings)],
                                      cwd=site.folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True) for name, site in sites.items()}
    outputs = {name: process.communicate(timeout=600)[0] for name, process in running.items()}
    for name, process in running.items():
        assert process.returncode == 0, outputs[name][-3000:]
    for name, colour, own, other in (("Anytown", "#7a1f5c", "anytown-duty-procedure", "northshire-panel-procedure"),
                                     ("Northshire", "#0b5e3a", "northshire-panel-procedure",
                                      "anytown-duty-procedure")):
        html = sites[name].folder / "_build" / "html"
        assert html_of(html, "index.html").title.get_text() == f"{name} Practice Toolkit"
        assert f"--color-brand-primary: {colour};" in (html / "_static" / "toolkit-brand.css").read_text()
        assert (html / f"{own}.html").is_file() and not (html / f"{other}.html").exists()
        assert f"psw@{name.lower()}.example" in (html / "genograms.html").read_text(encoding="utf-8")
        assert (html / "sitemap.xml").read_text().count(f"https://intranet.{name.lower()}.example/") > 5


def test_footer_link_with_a_script_address_is_refused(small_site: SiteFolder) -> None:
    with small_site.settings.open("a", encoding="utf-8") as settings:
        settings.write("footer_links:\n  - {label: Help, url: help.html}\n"
                       "  - {label: Bad, url: \"javascript:alert(1)\"}\n")
    result = small_site.toolkit("check")
    assert result.status == 1
    assert "site.yaml:8: error: footer link 'Bad' has an unsafe address" in result.stdout + result.stderr


def test_new_page_passes_the_checks_as_written(small_site: SiteFolder) -> None:
    made = small_site.toolkit("new", "skill", "Life story work", "--root", str(small_site.content))
    assert made.status == 0, made.stderr
    written = small_site.content / "life-story-work.md"
    assert "id: life-story-work" in written.read_text(encoding="utf-8")
    checked = small_site.toolkit("check", "--format", "json")
    assert [p for p in json.loads(checked.stdout) if "life-story-work" in p["path"]
            and p["severity"] != "info"] == []


def test_report_overrides_names_replacements_whose_original_changed(tmp_path: Path) -> None:
    stale = LOCAL_SUPERVISION.replace("last_reviewed: 2026-09-01", "last_reviewed: 2026-08-01")
    site = organisation_site(tmp_path / "site", ANYTOWN, {"reflective-supervision.md": stale})
    report = site.toolkit("report", "overrides")
    assert report.status == 0, report.stderr
    line = next(line for line in report.stdout.splitlines() if "reflective-supervision" in line)
    assert "local/reflective-supervision.md replaces content/guides/reflective-supervision.md" in line
    assert "CHANGED on 2026-09-01" in line
