"""The measurable parts of the shipped content's quality bar (issue 5), checked on the real
content/ folder with the toolkit's own loader, so a contributor who breaks one finds out in CI."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import REPO, TODAY
from toolkit.checks.checking import check_site
from toolkit.content.model import Page, Site
from toolkit.content.settings import load_settings
from toolkit.core.textfiles import split_front_matter

GUIDANCE_KINDS = ("skill", "practice-model", "resource", "pathway-stage")
MIN_PAGES, MIN_WORDS, MIN_RESOURCES, MIN_GLOSSARY = 60, 300, 20, 40
REPEAT_WORDS = 12          # a paragraph this long must not appear on two pages
KSS_SETS = ("KSS-CFP", "KSS-PS", "KSS-PL", "KSS-AD")
DIAGRAM_DIRECTIVES = ("genogram", "eco-map", "chronology", "timeline")
REQUIRED_TERMS = ("ASYE", "PSW", "KSS", "PCF", "SWE", "ECDP", "LADO", "CIN", "CP plan", "PLO")
PRACTICE_MODELS = ("systemic-practice", "signs-of-safety", "family-safeguarding", "restorative-practice",
                   "relationship-based-practice", "strengths-based-practice", "three-conversations",
                   "motivational-interviewing", "attachment-theory")
SKILLS = ("genograms", "eco-maps", "chronologies", "timelines", "assessment", "analysis-of-strengths-and-risk",
          "outcome-focused-planning", "critical-reflection", "defensible-decision-recording")

FENCE = re.compile(r"^\s*(`{3,}|:{3,})(\{(?P<name>[a-z-]+)\})?")
SOURCES = re.compile(r"^##\s+Sources\s*$", re.MULTILINE)
LINK = re.compile(r"\]\((https?://[^)\s]+)\)|<https?://")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


@pytest.fixture(scope="module")
def shipped() -> tuple[Site, list]:
    settings, problems = load_settings(REPO / "site.yaml")
    assert settings is not None, problems
    site, problems = check_site(settings, dt.date.fromisoformat(TODAY))
    return site, problems


def published(site: Site) -> list[Page]:
    return [p for p in site.pages.values() if p.status == "published"]


def body(page: Page) -> str:
    split, problems = split_front_matter(page.source.read_text(encoding="utf-8"), page.shown)
    assert split is not None, problems
    return split.body


def without_fences(text: str, drop: tuple[str, ...] | None = None) -> str:
    """The text with fenced blocks removed: only those opened by the named directives, or all."""
    kept: list[str] = []
    closing: str | None = None
    dropping = False
    for line in text.split("\n"):
        if closing is not None:
            if line.strip().startswith(closing) and not line.strip()[len(closing):].strip():
                closing = None
            if not dropping:
                kept.append(line)
            continue
        match = FENCE.match(line)
        if match:
            closing = match[1]
            dropping = drop is None or match["name"] in drop
            if not dropping:
                kept.append(line)
            continue
        kept.append(line)
    return "\n".join(kept)


def guidance_text(page: Page) -> str:
    """Body text counted as guidance: no diagram data, nothing from the Sources heading on."""
    text = without_fences(body(page), DIAGRAM_DIRECTIVES)
    return SOURCES.split(text)[0]


def paragraphs(page: Page) -> list[str]:
    """Prose paragraphs, list items and table rows, outside code and the Sources section."""
    text = SOURCES.split(without_fences(body(page)))[0]
    units: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        for line in block.split("\n"):
            if re.match(r"^\s*([-*+]|\d+\.)\s+|^\s*\|", line) and current:
                units.append(" ".join(current))
                current = []
            current.append(line.strip(" -*+|#>"))
        units.append(" ".join(current))
    return [" ".join(WORD.findall(u.lower())) for u in units if len(WORD.findall(u)) >= REPEAT_WORDS]


def test_check_strict_is_clean() -> None:
    env = os.environ | {"TOOLKIT_TODAY": TODAY}
    done = subprocess.run([sys.executable, "-m", "toolkit", "check", "--strict", "--site", str(REPO / "site.yaml")],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_enough_published_pages_each_with_a_unique_id(shipped: tuple[Site, list]) -> None:
    site, problems = shipped
    assert not [p for p in problems if p.code == "duplicate-id"]
    files = sorted((REPO / "content").rglob("*.md"))
    assert sorted(p.source for p in site.pages.values()) == files, "every page file loads as its own page"
    assert len(published(site)) >= MIN_PAGES


@pytest.mark.parametrize("kind", GUIDANCE_KINDS)
def test_guidance_pages_are_long_enough_and_cite_sources(shipped: tuple[Site, list], kind: str) -> None:
    site, _ = shipped
    pages = [p for p in published(site) if p.kind == kind]
    assert pages
    short = {p.id: len(WORD.findall(guidance_text(p))) for p in pages
             if len(WORD.findall(guidance_text(p))) < MIN_WORDS}
    assert not short, f"pages under {MIN_WORDS} words of guidance: {short}"
    assert not unsourced(pages), f"pages without a '## Sources' section with a link: {unsourced(pages)}"


def test_every_statement_has_a_published_page(shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    mapped = {statement for page in published(site) for statement in page.maps_to}
    assert set(KSS_SETS) <= set(site.sets)
    missing = sorted(set(site.statements) - mapped)
    assert not missing, f"statements with no published page: {missing}"


def test_no_paragraph_is_repeated_across_pages(shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    seen: dict[str, set[str]] = defaultdict(set)
    # Self-assessments are forms: the same short notice about where answers are kept is meant
    # to appear on each of them. Guidance and site pages must each say things in their own words.
    for page in (p for p in published(site) if p.kind != "self-assessment"):
        for paragraph in paragraphs(page):
            seen[paragraph].add(page.id)
    repeated = {text[:80]: sorted(ids) for text, ids in seen.items() if len(ids) > 1}
    assert not repeated, f"paragraphs repeated across pages: {repeated}"


def test_glossary_has_the_core_terms(shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    assert len(site.glossary) >= MIN_GLOSSARY
    names = {name.lower() for term in site.glossary.values() for name in (term.term, *term.aliases)}
    assert not [t for t in REQUIRED_TERMS if t.lower() not in names]


def test_the_pages_the_issue_names_exist(shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    kinds = {p.id: p.kind for p in published(site)}
    assert {m: kinds.get(m) for m in PRACTICE_MODELS} == dict.fromkeys(PRACTICE_MODELS, "practice-model")
    assert {s: kinds.get(s) for s in SKILLS} == dict.fromkeys(SKILLS, "skill")
    assert sum(kind == "resource" for kind in kinds.values()) >= MIN_RESOURCES
    assert kinds.get("development-pathway") == "page"


def test_a_pathway_stage_page_for_every_career_stage(shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    staged = {p.extras.get("stage") for p in published(site) if p.kind == "pathway-stage"}
    assert set(site.vocabularies["career-stages"]) <= staged


def test_reference_pages_exist_for_each_diagram_format(shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    for name, directive in (("genogram", "genogram"), ("eco-map", "eco-map"), ("chronology", "chronology")):
        page = site.pages[f"{name}-format"]
        assert page.status == "published" and Path(page.source).parent.name == "reference"
        assert f"```{{{directive}}}\n" in body(page), "an inline example with the YAML as the body"


def _text(html_file: Path) -> str:
    from html import unescape
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html_file.read_text(encoding="utf-8"))))


def test_authoring_reference_lists_every_kind_field_vocabulary_and_statement(
        shipped_site: Path, shipped: tuple[Site, list]) -> None:
    from toolkit.content.schemas import KINDS, RESOURCE_TYPES, page_fields

    site, _ = shipped
    text = _text(shipped_site / "authoring-reference.html")
    expected = set(KINDS) | set(RESOURCE_TYPES) | {f.name for kind in KINDS for f in page_fields(kind)}
    expected |= {entry for vocabulary in site.vocabularies.values() for entry in vocabulary}
    expected |= set(site.statements)
    assert not sorted(word for word in expected if f" {word} " not in text)


def test_each_framework_page_names_its_owner_and_links_the_original(
        shipped_site: Path, shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    for statement_set in site.sets.values():
        page = shipped_site / "frameworks" / f"{statement_set.id}.html"
        text = _text(page)
        assert f"Issued by {statement_set.issued_by}" in text and "in our own words" in text
        assert f'href="{statement_set.source_url}"' in page.read_text(encoding="utf-8")
        for statement in statement_set.statements:   # each quoted under its licence, or labelled as ours
            words = _text(shipped_site / "statements" / f"{statement.id}.html")
            assert (f"under the {statement_set.licence}" in words if statement.text
                    else "Summary in our words (not the official text)" in words), statement.id


# Issue 21: accuracy, new frameworks and the pages a Principal Social Worker expects.
TITLE_NOTE = re.compile(r"^\s*# title: (confirmed|paraphrased) \((?P<source>[^)]{8,})\)", re.IGNORECASE)
# Pages about the toolkit itself (its site, privacy, hosting and its own data formats) need no sources.
ABOUT_THE_TOOLKIT = ("home", "about", "accessibility", "privacy", "contribute", "host-your-toolkit",
                     "genogram-format", "eco-map-format", "chronology-format")
REPEATED_ON_PURPOSE = ("your answers are kept in this browser on this device only see doc privacy",)
PSW_PAGES = {"supervision-agreement": "resource", "supervision-record": "resource", "supervision-audit": "resource",
             "case-file-audit": "resource", "practice-observation-form": "resource",
             "workload-weighting-tariff": "resource", "registration-and-cpd": "resource",
             "assessor-roles-and-pathways": "resource", "direct-work-with-children": "skill",
             "neglect-exploitation-contextual-safeguarding": "skill", "anti-racist-practice": "resource",
             "inspection-readiness": "resource", "decision-making-forums": "resource",
             "innovations-that-free-time": "resource",
             "early-career-standards-self-assessment": "self-assessment",
             "adult-practice-supervisor-self-assessment": "self-assessment",
             "adult-social-worker-self-assessment": "self-assessment"}


def test_every_framework_title_says_where_it_was_confirmed_or_that_it_is_paraphrased(
        shipped: tuple[Site, list]) -> None:
    """Each statement in a data file is introduced by `# title: confirmed (source)` or
    `# title: paraphrased (why)`, so an author knows which titles may be quoted as official."""
    site, _ = shipped
    for statement_set in site.sets.values():
        lines = Path(statement_set.shown.replace("@toolkit", str(REPO / "content"))).read_text().split("\n")
        numbers = [i for i, line in enumerate(lines) if re.match(r"^\s*- number: \d+", line)]
        assert len(numbers) == len(statement_set.statements)
        unflagged = [lines[i].strip() for i in numbers if not TITLE_NOTE.match(lines[i - 1])]
        assert not unflagged, f"{statement_set.id}: statements with no '# title:' note: {unflagged}"
        if any("paraphrased" in lines[i - 1].lower() for i in numbers):
            assert "PARAPHRASED" in "\n".join(lines[:numbers[0]]), f"{statement_set.id}: header must say so"


def unsourced(pages: list) -> list[str]:
    """Ids of the pages with no '## Sources' section holding a link."""
    return [page.id for page in pages
            if len(parts := SOURCES.split(without_fences(body(page)))) < 2 or not LINK.search(parts[1])]


def test_every_page_cites_a_source_with_a_link(shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    missing = unsourced([p for p in published(site) if p.id not in ABOUT_THE_TOOLKIT])
    assert not missing, f"pages without a '## Sources' section with a link: {missing}"


def test_no_paragraph_is_repeated_on_any_two_pages_including_forms(shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    seen: dict[str, set[str]] = defaultdict(set)
    for page in published(site):
        for paragraph in paragraphs(page):
            seen[paragraph].add(page.id)
    repeated = {text[:80]: sorted(ids) for text, ids in seen.items()
                if len(ids) > 1 and text not in REPEATED_ON_PURPOSE}
    assert not repeated, f"paragraphs repeated across pages: {repeated}"


def test_an_ending_set_names_a_shipped_successor_that_starts_the_next_day(shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    cfp, ecs = site.sets["KSS-CFP"], site.sets["KSS-ECS"]
    assert (cfp.year, cfp.valid_to, cfp.superseded_by) == (2018, dt.date(2027, 3, 31), "KSS-ECS")
    assert ecs.valid_from == dt.date(2027, 4, 1)
    for statement_set in site.sets.values():
        if statement_set.superseded_by:
            successor = site.sets[statement_set.superseded_by]
            assert successor.valid_from == statement_set.valid_to + dt.timedelta(days=1)
    assert len(site.sets["KSS-APS"].statements) == 8


def test_the_pages_a_principal_social_worker_expects_exist(shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    kinds = {p.id: p.kind for p in published(site)}
    assert {page: kinds.get(page) for page in PSW_PAGES} == PSW_PAGES
    covered = {question["maps_to"].rsplit("-", 1)[0] for page_id in PSW_PAGES if kinds[page_id] == "self-assessment"
               for question in site.pages[page_id].extras["questions"]}
    assert covered == {"KSS-ECS", "KSS-APS", "KSS-AD"}, "one self-assessment for each of the three sets"


def test_principal_social_workers_sit_at_the_strategic_pcf_level(shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    leader = site.vocabularies["career-stages"]["practice-leader"]
    assert "strategic social worker for a Principal Social Worker" in leader.extra["pcf_level"]
    assert "| Principal Social Worker | Strategic social worker |" in body(site.pages["pcf-self-assessment"])


def test_the_ending_framework_page_links_its_successor(shipped_site: Path) -> None:
    page = (shipped_site / "frameworks" / "KSS-CFP.html").read_text(encoding="utf-8")
    assert "in force until 31 March 2027" in _text(shipped_site / "frameworks" / "KSS-CFP.html")
    assert re.search(r'It is replaced by <a [^>]*href="KSS-ECS.html"', page), "a link to the successor"
    upcoming = _text(shipped_site / "frameworks" / "KSS-ECS.html")
    assert "not yet in force: it applies from 1 April 2027" in upcoming


FORMS = ("supervision-agreement", "supervision-record", "practice-observation-form", "supervision-audit")


def test_printed_forms_give_the_blank_column_room_to_write(served_site: str, browser) -> None:
    """The CSP blocks inline widths, so the form tables are sized by class: full width on paper,
    the last (blank) column at least a third of it."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.emulate_media(media="print")
    for form in FORMS:
        page.goto(f"{served_site}{form}.html")
        table, blank, column = page.evaluate("""() => {
            const table = document.querySelector('article table.tk-form-table');
            const cell = table.querySelector('tbody tr td:last-child');
            return [table.getBoundingClientRect().width, cell.textContent.trim(),
                    cell.getBoundingClientRect().width];
        }""")
        article = page.evaluate("document.querySelector('article').getBoundingClientRect().width")
        assert table >= 0.95 * article, (form, table, article)
        assert blank == "" and column >= table / 3, (form, column, table)
    context.close()


@pytest.mark.parametrize("name", [p for p, kind in PSW_PAGES.items() if kind == "self-assessment"])
def test_the_new_self_assessments_are_forms_with_one_question_per_entry(
        shipped_site: Path, shipped: tuple[Site, list], name: str) -> None:
    site, _ = shipped
    html = (shipped_site / f"{name}.html").read_text(encoding="utf-8")
    assert html.count('<fieldset class="tk-sa-question"') == len(site.pages[name].extras["questions"])
    assert "_static/selfassessment.js" in html


def test_every_shipped_template_is_offered_as_word_and_opendocument_files(
        shipped_site: Path, shipped: tuple[Site, list]) -> None:
    import docx

    site, _ = shipped
    templates = {p.id for p in published(site) if p.extras.get("resource_type") == "template"}
    assert set(FORMS) | {"case-file-audit"} <= templates
    for page_id in templates:
        html = (shipped_site / f"{page_id}.html").read_text(encoding="utf-8")
        for suffix in (".docx", ".odt"):
            assert f'href="_downloads/editable/{page_id}{suffix}"' in html, (page_id, suffix)
            assert (shipped_site / "_downloads" / "editable" / f"{page_id}{suffix}").stat().st_size > 1000
    record = docx.Document(str(shipped_site / "_downloads" / "editable" / "supervision-record.docx"))
    assert "The record" in [p.text for p in record.paragraphs if p.style.name.startswith("Heading")]
    (form,) = record.tables
    assert form.rows[0].cells[-1].text == "Record" and all(row.cells[-1].text == "" for row in form.rows[1:])


def test_the_worked_example_uses_the_shipped_tariffs_weights(shipped_site: Path, shipped: tuple[Site, list]) -> None:
    site, _ = shipped
    tariff = site.tariffs["starting-tariff"]
    points = {item.id: item.points for item in tariff.items}
    # Sam's allocation on the page: child protection 5, proceedings 8, child in need 3, looked after 3, duty 4; of 60
    assert (tariff.capacity, points["child-protection"], points["care-proceedings"], points["child-in-need"],
            points["looked-after"], points["duty-day"]) == (60, 5, 8, 3, 3, 4)
    text = _text(shipped_site / "workload-weighting-tariff.html")
    assert all(item.label in text for item in tariff.items)
