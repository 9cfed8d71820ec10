"""Generated pages (home, listings, frameworks, statements, glossary, what's new, coverage,
search, 404) written as MyST sources into the build's staging folder — never into a content
root — so they get the theme, navigation, sphinx-design and search like any page.

Each source is a pure function of the manifest; it is rewritten only when its text changes,
so an edit to one page re-reads exactly the listings that show it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from builder import markup
from builder.documents import DOCUMENTS_PAGE
from builder.duties import DUTIES_PAGE
from builder.safety import GENERATED_CLASS
from builder.search import FRAMEWORK_ID_CLASS, STATEMENT_ID_CLASS
from builder.sitedata import SERVICES, SiteData, for_readers, section_of, site_data
from builder.updates import (
    DIGEST_FOLDER,
    DIGEST_PAGE,
    amendments,
    by_month,
    next_update_note,
    write_digests,
)
from toolkit.commands.cli import command_summaries
from toolkit.content.fields import TYPE_DESCRIPTIONS, Field
from toolkit.content.schemas import (
    AUTHOR_SECTION,
    CHANGE_FIELDS,
    COLOUR_FIELDS,
    CONTACT_FIELDS,
    GENERATED_FOLDERS,
    GENERATED_PAGES,
    KINDS,
    QUESTION_FIELDS,
    SECTION_RECORDS,
    SECTIONS,
    SET_FIELDS,
    SETTINGS_FIELDS,
    STATEMENT_FIELDS,
    page_fields,
)
from toolkit.content.tariffs import DIRECTIVE as TARIFF_DIRECTIVE
from toolkit.content.tariffs import FOLDER as TARIFF_FOLDER
from toolkit.content.tariffs import ITEM_FIELDS, TARIFF_FIELDS
from toolkit.content.vocabularies import glossary_anchor
from toolkit.core.dates import long_date, month_name
from toolkit.core.problem_codes import PROBLEM_CODES
from toolkit.core.protocol import GLOSSARY_DOC, PDF_FOLDER, PDF_LINK_CLASS, SECTIONS_LIST, WHOLE_PDF
from toolkit.core.textfiles import read_text, split_front_matter
from toolkit.site.staging import write_if_changed

if TYPE_CHECKING:
    from sphinx.application import Sphinx

WHATS_NEW_TITLE = "What's new"


def front(title: str, role: str, orphan: bool = True) -> str:
    """Front matter marking a generated page (kept out of the search index) and its H1."""
    lines = ["---"] + (["orphan: true"] if orphan else []) + [f"toolkit_page: {role}", "---", ""]
    return "\n".join(lines) + f"# {markup.text(title)}\n\n"


# What most readers come for, when the settings name no `top_tasks` (those whose page exists).
DEFAULT_TOP_TASKS = (
    ("Draw a genogram", "genograms", "The symbols, how to draw one with a family, and an example."),
    ("What my ASYE involves", "pathway-asye", "Your first year in practice: support, supervision and assessment."),
    ("Supervision standards", "frameworks/KSS-PS", "What the knowledge and skills statement asks of supervisors."),
    ("Start a self-assessment", "sections/self-assessments", "Rate yourself, see what to read next, plan."),
)


def top_tasks(site: SiteData) -> list[tuple[str, str, str]]:
    chosen = [(t["title"], t["page"], t["description"]) for t in site.settings.get("top_tasks") or []]
    if chosen:
        return chosen
    listed = {p["id"] for p in site.listed()}
    return [task for task in DEFAULT_TOP_TASKS if task[1] in listed
            or task[1].startswith("frameworks/") and task[1].split("/")[1] in site.sets
            or task[1].startswith("sections/") and task[1].split("/")[1] in site.listed_sections]


def home(site: SiteData) -> str:
    """Search first, then the top tasks, then every section; the organisation's introduction
    (the `home` page) after them, so a phone's first screen is the search box and the tasks."""
    settings = site.settings
    text = front(settings["name"], "home", orphan=False) + "```{search-form}\n```\n\n"
    tasks = top_tasks(site)
    if tasks:
        text += "## Top tasks\n\n" + markup.cards(tasks, "1 2 2 4")
    sections = [(title, f"sections/{section_id}", SECTION_RECORDS[section_id].description)
                for section_id, title in SECTIONS.items() if section_id in site.listed_sections]
    text += "\n## Find guidance\n\n" + markup.cards(sections, "1 2 3 3")
    text += "\n## Browse\n\n" + markup.cards([
        ("By role and career stage", "audiences/index", "Pages for your role and career stage."),
        *[(f"Guidance for {SERVICES[s].lower()}", f"services/{s}", f"Pages for {SERVICES[s].lower()}.")
          for s in services_with_pages(site)],
        ("By topic", "topics/index", "Pages grouped by subject."),
        ("By framework", "frameworks/index", "The KSS, PCF and standards, statement by statement."),
        ("Glossary", GLOSSARY_DOC, "Terms and abbreviations explained."),
        ("What's new", "whats-new", "Pages added or changed, newest first."),
        ("Framework coverage", "coverage", "Which statements our pages support, and the gaps."),
        ("Document library", DOCUMENTS_PAGE, "Every template and form to download, with its page."),
        ("Legal duties", DUTIES_PAGE, "What the law requires, collected from every page."),
    ], "1 2 3 3")
    record = site.raw.get("home")
    if record:
        source, _ = read_text(Path(record["source"]), record["shown"])
        split, _ = split_front_matter(source or "", record["shown"])
        body = split.body if split else ""
        text += "\n## About this toolkit\n\n" + "\n".join(
            line for line in body.split("\n") if not line.startswith("# ")) + "\n\n"
    recent = sorted(filter(for_readers, site.listed()), key=lambda p: p["last_changed"], reverse=True)[:6]
    text += "\n## Recently updated\n\n" + markup.page_list(recent)
    return text


def section_pages(site: SiteData, section_id: str) -> list[dict]:
    """A section's pages in the order its listing (and its PDF) gives them: by title; the
    development pathway's stages in career order, after the pages about the pathway as a whole."""
    pages = [p for p in site.listed() if section_of(p) == section_id]
    order = [s["id"] for s in site.vocabulary("career-stages")]
    pages.sort(key=lambda p: order.index(p["extras"]["stage"]) + 1 if p["extras"].get("stage") in order else 0)
    return pages


def section(site: SiteData, section_id: str) -> str:
    text = front(SECTIONS[section_id], "listing")
    if site.raw.get("pdf") and section_id != AUTHOR_SECTION:
        text += f"```{{pdf-links}} {section_id}\n```\n\n"
    text += markup.page_list(section_pages(site, section_id))
    if section_id == AUTHOR_SECTION:
        reference = markup.doc("authoring reference", "authoring-reference")
        text += f"\nEvery field, kind and id a page may use: the {reference}.\n"
    return text


def grouped_listing(pages: list[dict], made_for: Callable[[dict], tuple]) -> str:
    """Readers' pages under their sections' headings, in sidebar order; in each section the pages
    made for this listing (`made_for` sorts them first) before the rest, by title."""
    text, sections = "", {section_id: [] for section_id in SECTIONS if section_id != AUTHOR_SECTION}
    for page in pages:   # one pass: a topic of a 5,000-page site is asked of 13 sections
        sections.get(section_of(page), []).append(page)
    for section_id, title in SECTIONS.items():
        group = sorted(sections.get(section_id, []), key=made_for)
        if group:
            text += f"## {markup.text(title)}\n\n" + markup.page_list(group) + "\n"
    return text or markup.page_list([])


def vocabulary_pages(site: SiteData, name: str, field: str, folder: str, title: str,
                     intro: str) -> dict[str, str]:
    """A listing per entry. Roles and career stages share their ids, so a role's listing also
    holds its stage of the pathway, first; then the pages written for fewest others."""
    entries = site.vocabulary(name)
    pages = {f"{folder}/index": front(title, "listing") + intro + "\n\n" + "\n".join(
        f"- {markup.doc(e['label'], folder + '/' + e['id'])}: {markup.text(e['description'])}"
        for e in entries) + "\n"}
    spread = "topics" if field == "topics" else "audience"   # how widely a page is aimed
    for entry in entries:
        entry_id = entry["id"]
        listed = site.listed_where(field, entry_id) if field == "topics" else [
            p for p in site.listed() if p["extras"].get("stage") == entry_id or entry_id in p["audience"]]

        def made_for(page: dict, stage: str = entry_id) -> tuple:
            return page["extras"].get("stage") != stage, len(page[spread])

        pages[f"{folder}/{entry_id}"] = (front(entry["label"], "listing") + markup.text(entry["description"])
                                         + "\n\n" + grouped_listing(listed, made_for))
    return pages


def services_with_pages(site: SiteData) -> list[str]:
    given = {p["extras"].get("service") for p in site.listed()}
    return [s for s in ("children", "adults") if s in given or "both" in given]


def service_pages(site: SiteData) -> dict[str, str]:
    """A listing of the guidance for children's services and one for adults' (pages for both are
    in each), grouped by section."""
    pages = {}
    for service in services_with_pages(site):
        listed = [p for p in site.listed() if p["extras"].get("service") in (service, "both")]
        title = f"Guidance for {SERVICES[service].lower()}"
        pages[f"services/{service}"] = front(title, "listing") + grouped_listing(
            listed, lambda page, only=service: page["extras"].get("service") != only)
    return pages


def validity(item: dict) -> str:
    """When a set is in force, with dates as people write them ("In force from 18 May 2018.")."""
    parts = []
    if item.get("valid_from"):
        parts.append(f"from {long_date(item['valid_from'])}")
    if item.get("valid_to"):
        parts.append(f"until {long_date(item['valid_to'])}")
    return f"In force {' '.join(parts)}." if parts else ""


def _state(item: dict, today: str) -> str:
    """A notice when a set or statement is not in force on the build date."""
    if item.get("valid_to") and item["valid_to"] < today:
        return f"\n```{{important}}\nThis was superseded on {long_date(item['valid_to'])}.\n```\n\n"
    if item.get("valid_to"):
        return (f"\n```{{note}}\nThis is in force until {long_date(item['valid_to'])}, when it is due to be "
                "replaced.\n```\n\n")
    if item.get("valid_from") and item["valid_from"] > today:
        return (f"\n```{{note}}\nThis is not yet in force: it applies from {long_date(item['valid_from'])}."
                "\n```\n\n")
    return ""


def _successor(site: SiteData, statement_set: dict) -> str:
    """A link to the shipped set that replaces this one, so a reader of an ending set finds the next."""
    successor = site.sets.get(statement_set.get("superseded_by") or "")
    if not successor:
        return ""
    start = f" from {long_date(successor['valid_from'])}" if successor.get("valid_from") else ""
    return f"It is replaced by {markup.doc(successor['title'], 'frameworks/' + successor['id'])}{start}.\n\n"


def _set_wording(statement_set: dict) -> str:
    original = f"[read the original]({statement_set['source_url']})"
    if any(st.get("text") for st in statement_set["statements"]):
        return (f"Each statement's page quotes its official text under the {_licence(statement_set)}; "
                f"the summaries below are in our own words: {original}.")
    return f"The summaries below are in our own words, not the official text: {original}."


def framework_pages(site: SiteData) -> dict[str, str]:
    pages = {"frameworks/index": front("Frameworks and standards", "listing") + "\n".join(
        f"- {markup.doc(s['title'], 'frameworks/' + s['id'])} ({markup.text(s['issued_by'])}, {s['year']})"
        for s in site.sets.values()) + "\n"}
    for set_id, statement_set in site.sets.items():
        # Its id in words the index keeps ("KSS-PS": "kss", "ps"), so "kss for practice supervisors"
        # finds it; a statement page's id stays out of the index (statement_page).
        text = (front(statement_set["title"], "listing") + f"```{{container}} {FRAMEWORK_ID_CLASS}\n"
                f"Known as {set_id}\n```\n\n" + _state(statement_set, site.today))
        text += (f"Issued by {markup.text(statement_set['issued_by'])} ({statement_set['year']}). "
                 f"{markup.text(validity(statement_set))}\n\n"
                 f"{_successor(site, statement_set)}"
                 f"{_set_wording(statement_set)}\n\n")
        # Each statement is a search result of its own, so the table is left out of the set's.
        text += "````{container} toolkit-related\n| Statement | Summary | Pages |\n| --- | --- | --- |\n"
        for st in statement_set["statements"]:
            count = len([p for p in site.listed_where("maps_to", st["id"]) if for_readers(p)])
            text += (f"| {markup.doc(st['id'] + ': ' + st['title'], 'statements/' + st['id'])} | "
                     f"{markup.text(st['summary'])} | {count} |\n")
        pages[f"frameworks/{set_id}"] = text + "````\n"
        for st in statement_set["statements"]:
            pages[f"statements/{st['id']}"] = statement_page(site, statement_set, st)
    return pages


def _licence(statement_set: dict) -> str:
    name = markup.text(statement_set["licence"])
    return f"[{name}]({statement_set['licence_url']})" if statement_set.get("licence_url") else name


def statement_wording(statement_set: dict, st: dict) -> str:
    """The statement itself: its official text quoted with attribution where the set's licence
    allows (`text`), and our summary, always labelled as ours, with a link to the original."""
    source = (f"[{markup.text(statement_set['title'])}]({statement_set['source_url']}), "
              f"{markup.text(statement_set['issued_by'])}, {statement_set['year']}")
    # The source lines name the set on every statement page: left out of the search index.
    if st.get("text"):
        return (f"`````{{container}} toolkit-statement-quote\n> {markup.text(st['text'])}\n\n"
                f"````{{container}} toolkit-related\nQuoted word for word from {source}, under the "
                f"{_licence(statement_set)}.\n````\n`````\n\n**In our words:** {markup.text(st['summary'])}\n\n")
    return (f"`````{{container}} toolkit-statement-summary\n**Summary in our words** (not the official "
            f"text): {markup.text(st['summary'])}\n\n````{{container}} toolkit-related\n"
            f"Read the statement itself in {source}.\n````\n`````\n\n")


def statement_page(site: SiteData, statement_set: dict, st: dict) -> str:
    """The statement's id sits above its title, out of the search index: Pagefind matches short
    words loosely, so "PLO" would find every KSS-PL statement (an id is found by its filter)."""
    text = (front(st["title"], "listing") + f"```{{container}} {STATEMENT_ID_CLASS}\nStatement {st['id']}\n```\n\n"
            + _state(st, site.today))
    text += statement_wording(statement_set, st) + (
        f"Part of {markup.doc(statement_set['title'], 'frameworks/' + statement_set['id'])}.\n\n")
    supporting = [p for p in site.listed_where("maps_to", st["id"]) if for_readers(p)]
    text += "## Pages for this statement\n\n" + markup.page_list(supporting)
    text += f"\n```{{statement-mentions}} {st['id']}\n```\n"
    return text


def glossary(site: SiteData) -> str:
    """Terms A to Z under letter headings, with jump links to each letter that has terms."""
    text = front("Glossary", "glossary")
    by_letter: dict[str, list[dict]] = {}
    for term in sorted(site.glossary, key=lambda t: t["term"].lower()):
        first = term["term"][:1].upper()
        by_letter.setdefault(first if first.isalpha() else "#", []).append(term)
    if len(by_letter) > 1:
        text += "```{container} toolkit-az\n" + " ".join(
            f"{{ref}}`{letter} <glossary-{glossary_anchor(letter)}>`" for letter in by_letter) + "\n```\n\n"
    for letter, terms in by_letter.items():
        text += f"(glossary-{glossary_anchor(letter)})=\n## {markup.text(letter)}\n\n"
        for term in terms:
            text += (f"({glossary_anchor(term['term'])})=\n{markup.text(term['term'])}\n"
                     f": {markup.text(term['definition'])}")
            if term["aliases"]:
                text += " Also known as: " + ", ".join(markup.text(a) for a in term["aliases"]) + "."
            if term.get("see") and term["see"] in site.pages:
                text += f" See {markup.doc(site.pages[term['see']]['title'], term['see'])}."
            text += "\n\n"
    return text


def whats_new(site: SiteData) -> str:
    found = amendments(site)
    text = front(WHATS_NEW_TITLE, "listing") + next_update_note(site)
    text += "```{follow-links}\n```\n\n"
    if not found:
        return text + "No changes have been recorded yet.\n"
    text += "| Date | Page | Change |\n| --- | --- | --- |\n"
    text += "".join(f"| {long_date(a.date)} | {markup.doc(a.page['title'], a.page['id'])} | "
                    f"{markup.text(a.summary)} |\n" for a in found[:200])
    return text


def digest_page(site: SiteData) -> str:
    """The monthly digest: each month's amendments, newest month first, each with its text file."""
    text = front("Monthly digest", "listing") + next_update_note(site)
    text += ("The changes to this toolkit month by month. Each month's list is also a plain-text "
             "file to paste into a staff bulletin or an email. "
             f"{markup.doc(WHATS_NEW_TITLE, 'whats-new')} lists every change in one table.\n\n")
    months = by_month(site)
    if not months:
        return text + "No changes have been recorded yet.\n"
    for month, found in months.items():
        text += f"## {month_name(month)}\n\n"
        text += "".join(f"- {markup.doc(a.page['title'], a.page['id'])} ({long_date(a.date)}): "
                        f"{markup.text(a.summary)}\n" for a in found)
        text += (f"\n{{download}}`{month_name(month)} as plain text <{DIGEST_FOLDER}/{month}.txt>`"
                 " (for a bulletin or an email)\n\n")
    return text


def coverage(site: SiteData) -> str:
    """A matrix per framework: each statement against each section, with the number of pages that
    support it; statements no page supports come first, marked."""
    text = front("Framework coverage", "listing")
    text += ("How many pages of each section support each framework statement. Statements with no "
             "page come first in each set, marked \"None yet\". A statement's page lists its pages.\n\n")
    supporting = {st: [p for p in site.listed_where("maps_to", st) if for_readers(p)] for st in site.statements}
    columns = [s for s in SECTIONS if any(section_of(p) == s for pages in supporting.values() for p in pages)]
    for statement_set in site.sets.values():
        rows = sorted(statement_set["statements"], key=lambda st: (bool(supporting[st["id"]]), st["number"]))
        text += f"## {markup.text(statement_set['title'])}\n\n" + markup.json_lines("coverage-table", [
            [SECTIONS[s] for s in columns],
            *[[f"statements/{st['id']}", st["id"], st["title"],
               [sum(section_of(p) == s for p in supporting[st["id"]]) for s in columns]] for st in rows]]) + "\n"
    return text


def _field_table(fields: tuple[Field, ...]) -> str:
    rows = "".join(
        f"| `{f.name}` | {'yes' if f.required else 'no'} | {markup.text(TYPE_DESCRIPTIONS[f.type])} | "
        f"{', '.join(f'`{c}`' for c in f.choices) or markup.text(f.help) or '-'} |\n" for f in fields)
    return "| Field | Required | Value | Allowed values or help |\n| --- | --- | --- | --- |\n" + rows + "\n"


def _vocabulary_table(site: SiteData, name: str, extra: str = "", extra_label: str = "") -> str:
    header = "| Id | Label | Description |" + (f" {extra_label} |" if extra else "")
    rows = "".join(f"| `{e['id']}` | {markup.text(e['label'])} | {markup.text(e['description'])} |"
                   + (f" {markup.text(str(e.get(extra, '')))} |" if extra else "") + "\n"
                   for e in site.vocabulary(name))
    return header + "\n|" + " --- |" * (4 if extra else 3) + "\n" + rows + "\n"


FRAMEWORK_FILES = (
    "## Framework files\n\nEach file in a content folder's `frameworks/` is one statement set (a later "
    "folder may add a set or replace one with the same id). Every statement has a `summary` in your own "
    "words, shown labelled as ours with a link to the original. Add the statement's official wording as "
    "`text` only when you have copied it word for word from the original and the set's `licence` allows "
    "quoting with attribution: the page then quotes it, naming the source and the licence. The Knowledge "
    "and Skills Statements, published by the Department for Education on GOV.UK, are under the Open "
    "Government Licence v3.0. The PCF (BASW) and Social Work England's standards are published on their "
    "own terms: keep to summaries unless their owner has given permission. A statement's `text` in a set "
    "with no `licence` is an error.\n\n")


def authoring_reference(site: SiteData) -> str:
    """Every kind, field, vocabulary entry and statement id an author may use, generated from
    the toolkit's own rules and this site's data so it can never drift from what `check` accepts."""
    text = front("Authoring reference", "reference")
    text += ("This page is generated from the rules `toolkit check` applies and from this site's "
             "vocabularies and frameworks, so it always matches this version of the toolkit.")
    if "contribute" in site.pages:
        text += (" For how to write and publish a page, see "
                 f"{markup.doc('How to contribute a page', 'contribute')}.")
    text += "\n\n## Kinds of page\n\n| Kind | What it is |\n| --- | --- |\n"
    text += "".join(f"| `{kind}` | {markup.text(about)} |\n" for kind, about in KINDS.items())
    for kind in KINDS:
        text += f"\n## Fields of a `{kind}` page\n\n" + _field_table(page_fields(kind))
    text += ("## Entries in `changes`\n\n" + _field_table(CHANGE_FIELDS)
             + "## Questions in a self-assessment\n\n" + _field_table(QUESTION_FIELDS))
    text += ("## Templates to fill in\n\nA `resource` page with `resource_type: template` is also offered as a "
             "Word (.docx) and an OpenDocument (.odt) file, made from the page at every build: its headings, "
             "paragraphs, lists and tables, a table row with a blank last cell (`&nbsp;`) as a box to write in.\n\n"
             f"## Workload tariffs\n\nA file under `{TARIFF_FOLDER}/` in a content folder; one with the same `id` "
             "in a later folder replaces it. A page shows it, with a calculator, as "
             f"`{{{TARIFF_DIRECTIVE}}} <id>`.\n\n" + _field_table(TARIFF_FIELDS)
             + "### Each of its `items`\n\n" + _field_table(ITEM_FIELDS))
    text += "## Audiences\n\nUse these ids in `audience`.\n\n" + _vocabulary_table(site, "audiences")
    text += "## Topics\n\nUse these ids in `topics`.\n\n" + _vocabulary_table(site, "topics")
    text += ("## Career stages\n\nUse these ids in `stage`, in this order.\n\n"
             + _vocabulary_table(site, "career-stages", "pcf_level", "PCF level"))
    text += FRAMEWORK_FILES + ("### Fields of a set\n\n" + _field_table(SET_FIELDS)
                               + "### Fields of a statement\n\n" + _field_table(STATEMENT_FIELDS))
    text += "## Framework statements\n\nUse these ids in `maps_to` and in the `{statement}` role.\n"
    for statement_set in site.sets.values():
        text += (f"\n### {markup.text(statement_set['title'])}\n\n"
                 f"Issued by {markup.text(statement_set['issued_by'])}.\n\n| Id | Statement |\n| --- | --- |\n")
        text += "".join(f"| {markup.doc(st['id'], 'statements/' + st['id'])} | {markup.text(st['title'])} |\n"
                        for st in statement_set["statements"])
    return text + settings_and_commands() + problem_codes()


def settings_and_commands() -> str:
    """The web team's half of the contract: the settings file's fields and the command line."""
    text = ("\n## Settings\n\nThe fields of the settings file, `site.yaml` (paths in it are relative to it). "
            "In `content`, `\"@toolkit\"` is the shipped content and `\"@name\"` an installed content pack.\n\n"
            + _field_table(SETTINGS_FIELDS) + "### In `contact`\n\n" + _field_table(CONTACT_FIELDS)
            + "### In `colours`\n\n" + _field_table(COLOUR_FIELDS))
    text += "## Command line\n\n| Command | What it does |\n| --- | --- |\n"
    return text + "".join(f"| `{usage}` | {markup.text(about)} |\n" for usage, about in command_summaries()) + "\n"


def problem_codes() -> str:
    """Every code `toolkit check` shows in brackets after a message, with what it means."""
    return ("## Problem codes\n\n`toolkit check` ends each message with its code in brackets, such as "
            "`[unknown-doc]`: search this page for it to see what kind of problem it is.\n\n"
            "| Code | What it means |\n| --- | --- |\n"
            + "".join(f"| `{code}` | {markup.text(meaning)} |\n" for code, meaning in sorted(PROBLEM_CODES.items()))
            + "\n")


def legal_duties() -> str:
    """The key to duty markers, then every duty the site's pages mark (builder/duties.py)."""
    return (front("Legal duties", "listing")
            + "Pages mark what the law requires with a **Legal duty** note naming the Act and section. "
            "A legal duty is something an organisation or a social worker *must* do; the rest of the "
            "guidance says what you *should* do, which is good practice but not law. If a duty applies "
            "to a decision you are making, read the law itself and ask your manager or legal team.\n\n"
            "Duties are listed under the topics of the pages that mark them.\n\n```{duty-list}\n```\n")


def document_library() -> str:
    return (front("Document library", "listing")
            + "Every template and document this toolkit offers to download, with the page that explains it, "
            "who owns it and when it is next reviewed. Check the page before you use a template.\n\n"
            "```{document-list}\n```\n")


def search_page() -> str:
    return front("Search", "search") + "```{search-box}\n```\n"


def not_found(site: SiteData) -> str:
    return (front("Page not found", "not-found") + "The page you asked for is not here. It may have "
            f"moved or been removed.\n\n- Go to the {markup.doc('home page', 'index')}\n"
            f"- {markup.doc('Search the toolkit', 'search')}\n")


def generated_pages(site: SiteData) -> dict[str, str]:
    """docname -> MyST source of every generated page."""
    pages = {"index": home(site), GLOSSARY_DOC: glossary(site), "whats-new": whats_new(site),
             DIGEST_PAGE: digest_page(site), DUTIES_PAGE: legal_duties(),
             DOCUMENTS_PAGE: document_library(),
             "coverage": coverage(site), "search": search_page(), "404": not_found(site)}
    pages["authoring-reference"] = authoring_reference(site)
    # Only sections with pages: an empty one would be a page no link reaches.
    pages |= {f"sections/{section_id}": section(site, section_id) for section_id in SECTIONS
              if section_id in site.listed_sections}
    pages |= framework_pages(site)
    pages |= service_pages(site)
    pages |= vocabulary_pages(site, "audiences", "audience", "audiences", "By role and career stage",
                              "Choose your role or career stage to see the pages written for you.")
    pages |= vocabulary_pages(site, "topics", "topics", "topics", "Browse by topic",
                              "Choose a topic to see its pages.")
    stages = vocabulary_pages(site, "career-stages", "", "stages", "Career stages",
                              "The development pathway from student to director.")
    pages["audiences/index"] += (f"\nOr choose your {markup.doc('career stage', 'stages/index')}, from student to "
                                 "director: " + ", ".join(markup.doc(e["label"], "stages/" + e["id"])
                                                          for e in site.vocabulary("career-stages")) + ".\n")
    return pages | stages


# The generated pages of the last manifest read (site_data() is the same object until the manifest
# changes): the preview's warm Sphinx writes them before every rebuild, and a save of a page's
# body leaves the manifest as it was (0.8 s under cProfile at 1,000 pages, for the same text).
_LAST_GENERATED: list[tuple[SiteData, dict[str, str]]] = []


def write_generated(app: Sphinx) -> None:
    """Write every generated page into the source folder; remove ones no longer generated."""
    source = Path(app.srcdir)
    site = site_data()
    if not _LAST_GENERATED or _LAST_GENERATED[0][0] is not site:
        _LAST_GENERATED[:] = [(site, generated_pages(site))]
    pages = _LAST_GENERATED[0][1]
    write_digests(source, site)
    for docname, text in pages.items():
        write_if_changed(source / f"{docname}.md", text.encode("utf-8"))
    for folder in GENERATED_FOLDERS:
        for path in (source / folder).glob("*.md"):
            if f"{folder}/{path.stem}" not in pages:
                path.unlink()
    for name in GENERATED_PAGES:
        if name not in pages and (source / f"{name}.md").is_file():
            (source / f"{name}.md").unlink()


def write_sections_list(app: Sphinx, exception: Exception | None) -> None:
    """For `toolkit build --pdf`: each section's title and pages in order (toolkit/site/pdf.py)."""
    site = site_data()
    if exception is None and app.builder.format == "html" and site.raw.get("pdf"):
        sections = [{"slug": section_id, "title": title, "pages": [p["id"] for p in pages]}
                    for section_id, title in SECTIONS.items()
                    if section_id != AUTHOR_SECTION and (pages := section_pages(site, section_id))]
        write_if_changed(Path(app.outdir) / SECTIONS_LIST, json.dumps(sections).encode("utf-8"))


class PdfLinks(SphinxDirective):
    """On a section page: its PDF and the whole toolkit's (their sizes are filled in once the
    PDFs are written, by toolkit/site/pdf.py)."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        slug = self.arguments[0]
        html = (f'<p class="toolkit-pdf"><a class="{PDF_LINK_CLASS}" href="../{PDF_FOLDER}/{slug}.pdf">'
                f'Download this section (PDF)</a> · <a class="{PDF_LINK_CLASS}" '
                f'href="../{PDF_FOLDER}/{WHOLE_PDF}.pdf">Download the whole toolkit (PDF)</a></p>')
        return [nodes.raw("", html, format="html", classes=[GENERATED_CLASS])]


def setup_generated(app: Sphinx) -> None:
    app.add_directive("pdf-links", PdfLinks)
    app.connect("builder-inited", write_generated)
    app.connect("build-finished", write_sections_list)
