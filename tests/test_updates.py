"""What councils buy a procedures manual for, tried as staff would use it: a feed of the
amendments that a feed reader parses, a monthly digest (page and plain text), the next planned
update, legal duties marked and collected, and a document library that lists a local template."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.conftest import SMALL_SITE, SiteFolder, page, serving

ATOM = "application/atom+xml"   # as deploy/nginx.conf serves .atom
DUTY_PAGE = page("duty-page", title="Safeguarding enquiries", topics="[supervision]", owner="Principal Social Worker",
                 body="""Some guidance: you should talk to the person first.

```{duty} Care Act 2014, section 42
:link: https://www.legislation.gov.uk/ukpga/2014/23/section/42

The local authority **must** make the enquiries it thinks necessary.
```

Use the {download}`supervision agreement <templates/supervision-agreement.txt>` in the first session.
""").replace("review_by: 2027-09-01",
              "review_by: 2027-09-01\nchanges:\n  - {date: 2026-11-01, summary: Added the duty.}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteFolder:
    import shutil

    folder = tmp_path_factory.mktemp("updates") / "site"
    shutil.copytree(SMALL_SITE, folder)
    built = SiteFolder(folder)
    with built.settings.open("a", encoding="utf-8") as settings:
        settings.write("next_update: 2027-01-05\n")
    built.write("duty-page.md", DUTY_PAGE)
    built.write("templates/supervision-agreement.txt", "Supervision agreement\n")
    result = built.toolkit("build")
    assert result.status == 0, result.stdout + result.stderr
    return built


def html_of(site: SiteFolder, name: str) -> BeautifulSoup:
    return BeautifulSoup((site.folder / "_build/html" / name).read_text(encoding="utf-8"), "html.parser")


def test_the_feed_is_valid_atom_newest_first_and_named_in_every_page(site: SiteFolder) -> None:
    out = site.folder / "_build/html"
    feed = feedparser.parse((out / "whats-new.atom").read_bytes(), response_headers={
        "content-location": "http://intranet.test/toolkit/whats-new.atom", "content-type": ATOM})
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert titles[0] == "Safeguarding enquiries: Added the duty."
    assert "Reflective supervision: Added the four-stage cycle." in titles
    assert feed.entries[0].link == "http://intranet.test/toolkit/duty-page.html"
    dates = [entry.updated_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)
    for name in ("index.html", "duty-page.html", "statements/KSS-PS-1.html"):
        link = html_of(site, name).find("link", rel="alternate", type="application/atom+xml")
        assert link is not None and (out / name).parent.joinpath(link["href"]).resolve() == out / "whats-new.atom"
    follow = html_of(site, "whats-new.html").find("p", class_="toolkit-follow")
    assert follow.find("a", href="whats-new.atom") and follow.find("a", href="digest.html")


def test_a_new_change_is_in_the_feed_after_a_rebuild(small_site: SiteFolder) -> None:
    assert small_site.toolkit("build").status == 0
    small_site.write("late.md", page("late", title="Late news").replace(
        "review_by: 2027-09-01", "review_by: 2027-09-01\nchanges:\n  - {date: 2026-11-20, summary: Rewrote it.}"))
    assert small_site.toolkit("build").status == 0
    feed = feedparser.parse((small_site.folder / "_build/html/whats-new.atom").read_bytes(),
                            response_headers={"content-type": ATOM})
    assert not feed.bozo and feed.entries[0].title == "Late news: Rewrote it."


def test_whats_new_and_the_digest_show_the_next_update_and_a_plain_text_month(site: SiteFolder) -> None:
    whats_new = html_of(site, "whats-new.html").get_text(" ", strip=True)
    assert "The next planned update of this toolkit is on 5 January 2027." in whats_new
    assert "1 November 2026" in whats_new
    digest = html_of(site, "digest.html")
    months = [h.get_text(strip=True).rstrip("#") for h in digest.find_all("h2")]
    assert months[:2] == ["November 2026", "September 2026"]
    text_link = digest.find("a", href=lambda h: h and h.endswith("2026-11.txt"))
    text = (site.folder / "_build/html" / text_link["href"]).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "Testshire Practice Toolkit: changes in November 2026"
    assert "- Safeguarding enquiries (1 November 2026): Added the duty." in text
    assert "Next planned update: 5 January 2027." in text


def test_a_duty_is_marked_listed_in_the_facts_and_collected(site: SiteFolder) -> None:
    duty_page = html_of(site, "duty-page.html")
    note = duty_page.find("aside", class_="toolkit-duty")
    assert note["role"] == "note" and note["aria-label"] == "Legal duty: Care Act 2014, section 42"
    assert "must make the enquiries" in " ".join(note.get_text(" ").split())
    assert note.find("a", href="legal-duties.html")   # the key: what a legal duty means
    facts = duty_page.find("dl", class_="toolkit-page-facts")
    assert facts.find("a", href=f"#{note['id']}").get_text() == "Care Act 2014, section 42"
    duties = html_of(site, "legal-duties.html")
    section = duties.find(lambda t: t.name == "h2" and "Supervision" in t.get_text()).find_parent("section")
    assert section.find("a", href=f"duty-page.html#{note['id']}")
    assert "Care Act 2014, section 42" in section.get_text()


def test_check_refuses_a_duty_without_its_source(small_site: SiteFolder) -> None:
    small_site.write("bad.md", page("bad", body="```{duty}\nYou must do this.\n```\n"))
    result = small_site.toolkit("check")
    assert result.status == 1
    assert "content/bad.md:12: error: a {duty} block must name its source" in result.stdout


def test_the_document_library_lists_a_local_template_with_its_page(site: SiteFolder) -> None:
    library = html_of(site, "documents.html")
    row = library.find("a", string="supervision-agreement.txt").find_parent("tr")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[1:] == ["Safeguarding enquiries", "Principal Social Worker", "1 September 2027"]
    href = row.find("a")["href"]
    assert (site.folder / "_build/html" / href).read_text() == "Supervision agreement\n"
    assert library.find(lambda t: t.name == "h2" and t.get_text().startswith("Text file"))


def test_the_duty_is_announced_by_name_and_passes_axe(site: SiteFolder, browser) -> None:
    from tests.test_accessibility import axe_violations, describe

    context = browser.new_context(bypass_csp=True)   # the policy (rightly) refuses injected axe-core
    with serving(site.folder / "_build/html") as url:
        tab = context.new_page()
        for name in ("duty-page.html", "legal-duties.html", "documents.html", "digest.html"):
            tab.goto(url + name)
            violations = axe_violations(tab)
            assert not violations, f"{name}:\n{describe(violations)}"
        tab.goto(url + "duty-page.html")
        note = tab.get_by_role("note", name="Legal duty: Care Act 2014, section 42")
        assert note.is_visible() and "must" in note.inner_text()
    context.close()


def test_shipped_duties_are_on_the_legal_duties_page(shipped_site: Path) -> None:
    duties = BeautifulSoup((shipped_site / "legal-duties.html").read_text(encoding="utf-8"), "html.parser")
    text = duties.get_text(" ")
    for source in ("Care Act 2014, section 42", "Mental Capacity Act 2005, section 1", "Children Act 1989, section 47"):
        assert source in text


def test_the_duties_page_and_the_library_follow_a_rebuild_of_the_page_alone(small_site: SiteFolder) -> None:
    """Both are written again only when what they list changed (builder/sitedata.py
    `write_when_changed`): a rebuild after a title, a download or a duty changed shows it."""
    def library() -> str:
        return html_of(small_site, "documents.html").get_text(" ", strip=True)

    def duties() -> BeautifulSoup:
        return html_of(small_site, "legal-duties.html")

    small_site.write("templates/supervision-agreement.txt", "Supervision agreement\n")
    small_site.write("duty-page.md", DUTY_PAGE)
    assert small_site.toolkit("build").status == 0
    assert "supervision-agreement.txt" in library() and "Safeguarding enquiries" in duties().get_text()
    offered = "{download}`supervision agreement <templates/supervision-agreement.txt>`"
    small_site.write("duty-page.md", DUTY_PAGE.replace("title: Safeguarding enquiries", "title: Section 42 enquiries")
                     .replace(offered, "the agreement"))
    assert small_site.toolkit("build").status == 0
    assert "supervision-agreement.txt" not in library()
    assert "Section 42 enquiries" in duties().get_text() and "Safeguarding enquiries" not in duties().get_text()
    small_site.write("duty-page.md", page("duty-page", title="Section 42 enquiries", topics="[supervision]"))
    assert small_site.toolkit("build").status == 0
    assert not duties().find("a", href=lambda h: h and h.startswith("duty-page.html"))
