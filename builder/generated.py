"""Generated pages (home, listings, frameworks, statements, glossary, what's new, coverage,
search, 404) written as MyST sources into the build's staging folder — never into a content
root — so they get the theme, navigation, sphinx-design and search like any page.

Each source is a pure function of the manifest; it is rewritten only when its text changes,
so an edit to one page re-reads exactly the listings that show it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from builder import markup
from builder.sitedata import SECTIONS, SiteData, site_data
from toolkit.fields import TYPE_DESCRIPTIONS, Field
from toolkit.schemas import (
    CHANGE_FIELDS,
    GENERATED_FOLDERS,
    GENERATED_PAGES,
    KINDS,
    QUESTION_FIELDS,
    page_fields,
)
from toolkit.staging import write_if_changed
from toolkit.textfiles import read_text, split_front_matter
from toolkit.vocabularies import glossary_anchor

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SECTION_SLUGS = {"practice-model": "practice-models", "skill": "skills", "resource": "resources",
                 "pathway-stage": "pathway", "self-assessment": "self-assessments", "page": "about"}


def front(title: str, role: str, orphan: bool = True) -> str:
    """Front matter marking a generated page (kept out of the search index) and its H1."""
    lines = ["---"] + (["orphan: true"] if orphan else []) + [f"toolkit_page: {role}", "---", ""]
    return "\n".join(lines) + f"# {markup.text(title)}\n\n"


def home(site: SiteData) -> str:
    settings = site.settings
    text = front(settings["name"], "home", orphan=False)
    record = site.raw.get("home")
    if record:
        source, _ = read_text(Path(record["source"]), record["shown"])
        split, _ = split_front_matter(source or "", record["shown"])
        body = split.body if split else ""
        text += "\n".join(line for line in body.split("\n") if not line.startswith("# ")) + "\n\n"
    sections = [(title, f"sections/{SECTION_SLUGS[kind]}",
                 f"{len([p for p in site.listed() if p['kind'] == kind])} pages")
                for kind, title in SECTIONS.items()
                if any(p["kind"] == kind for p in site.listed())]
    text += "## Find guidance\n\n" + markup.cards(sections, "1 2 3 3")
    text += "\n## Browse\n\n" + markup.cards([
        ("By who you are", "audiences/index", "Pages for your role and career stage."),
        ("By topic", "topics/index", "Pages grouped by subject."),
        ("By framework", "frameworks/index", "The KSS, PCF and standards, statement by statement."),
        ("Glossary", "glossary", "Terms and abbreviations explained."),
    ], "1 2 2 4")
    recent = sorted(site.listed(), key=lambda p: p["last_changed"], reverse=True)[:6]
    text += "\n## Recently updated\n\n" + markup.page_list(recent)
    return text


def section(site: SiteData, kind: str) -> str:
    pages = [p for p in site.listed() if p["kind"] == kind]
    if kind == "pathway-stage":
        order = [s["id"] for s in site.vocabulary("career-stages")]
        pages.sort(key=lambda p: order.index(p["extras"]["stage"]) if p["extras"].get("stage") in order
                   else len(order))
    return front(SECTIONS[kind], "listing") + markup.page_list(pages)


def vocabulary_pages(site: SiteData, name: str, field: str, folder: str, title: str,
                     intro: str) -> dict[str, str]:
    entries = site.vocabulary(name)
    pages = {f"{folder}/index": front(title, "listing") + intro + "\n\n" + "\n".join(
        f"- {markup.doc(e['label'], folder + '/' + e['id'])}: {markup.text(e['description'])}"
        for e in entries) + "\n"}
    for entry in entries:
        listed = site.listed_where(field, entry["id"]) if field else [
            p for p in site.listed() if p["extras"].get("stage") == entry["id"]
            or entry["id"] in p["audience"]]
        pages[f"{folder}/{entry['id']}"] = (front(entry["label"], "listing")
                                            + markup.text(entry["description"]) + "\n\n" + markup.page_list(listed))
    return pages


def validity(item: dict) -> str:
    parts = []
    if item.get("valid_from"):
        parts.append(f"in force from {item['valid_from']}")
    if item.get("valid_to"):
        parts.append(f"until {item['valid_to']}")
    return " ".join(parts)


def _state(item: dict, today: str) -> str:
    """A notice when a set or statement is not in force on the build date."""
    if item.get("valid_to") and item["valid_to"] < today:
        return f"\n```{{important}}\nThis was superseded on {item['valid_to']}.\n```\n\n"
    if item.get("valid_to"):
        return (f"\n```{{note}}\nThis is in force until {item['valid_to']}, when it is due to be "
                "replaced.\n```\n\n")
    if item.get("valid_from") and item["valid_from"] > today:
        return f"\n```{{note}}\nThis is not yet in force: it applies from {item['valid_from']}.\n```\n\n"
    return ""


def framework_pages(site: SiteData) -> dict[str, str]:
    pages = {"frameworks/index": front("Frameworks and standards", "listing") + "\n".join(
        f"- {markup.doc(s['title'], 'frameworks/' + s['id'])} ({markup.text(s['issued_by'])}, {s['year']})"
        for s in site.sets.values()) + "\n"}
    for set_id, statement_set in site.sets.items():
        text = front(statement_set["title"], "listing") + _state(statement_set, site.today)
        text += (f"Issued by {markup.text(statement_set['issued_by'])} ({statement_set['year']}). "
                 f"{markup.text(validity(statement_set).capitalize())}\n\n"
                 "The summaries below are our own paraphrase, not the official text: "
                 f"[read the original]({statement_set['source_url']}).\n\n")
        text += "| Statement | Summary | Pages |\n| --- | --- | --- |\n"
        for st in statement_set["statements"]:
            count = len(site.listed_where("maps_to", st["id"]))
            text += (f"| {markup.doc(st['id'] + ': ' + st['title'], 'statements/' + st['id'])} | "
                     f"{markup.text(st['summary'])} | {count} |\n")
        pages[f"frameworks/{set_id}"] = text
        for st in statement_set["statements"]:
            pages[f"statements/{st['id']}"] = statement_page(site, statement_set, st)
    return pages


def statement_page(site: SiteData, statement_set: dict, st: dict) -> str:
    text = front(f"{st['id']}: {st['title']}", "listing") + _state(st, site.today)
    text += (f"{markup.text(st['summary'])}\n\nPart of "
             f"{markup.doc(statement_set['title'], 'frameworks/' + statement_set['id'])}. "
             f"Our summary paraphrases the original: [read it at the source]"
             f"({statement_set['source_url']}).\n\n")
    text += "## Pages that support this statement\n\n" + markup.page_list(site.listed_where("maps_to", st["id"]))
    text += f"\n## Also mentioned in\n\n```{{statement-mentions}} {st['id']}\n```\n"
    return text


def glossary(site: SiteData) -> str:
    text = front("Glossary", "glossary")
    for term in site.glossary:
        text += f"({glossary_anchor(term['term'])})=\n{markup.text(term['term'])}\n: {markup.text(term['definition'])}"
        if term["aliases"]:
            text += " Also known as: " + ", ".join(markup.text(a) for a in term["aliases"]) + "."
        if term.get("see") and term["see"] in site.pages:
            text += f" See {markup.doc(site.pages[term['see']]['title'], term['see'])}."
        text += "\n\n"
    return text


def whats_new(site: SiteData) -> str:
    changes = sorted(((c["date"], p, c["summary"]) for p in site.listed() for c in p["changes"]),
                     key=lambda item: (item[0], item[1]["title"]), reverse=True)
    text = front("What's new", "listing")
    if not changes:
        return text + "No changes have been recorded yet.\n"
    text += "| Date | Page | Change |\n| --- | --- | --- |\n"
    text += "".join(f"| {date} | {markup.doc(p['title'], p['id'])} | {markup.text(summary)} |\n"
                    for date, p, summary in changes[:200])
    return text


def coverage(site: SiteData) -> str:
    text = front("Framework coverage", "listing")
    text += ("Each framework statement and the pages that support it. Statements with no page "
             "come first in each set.\n\n")
    for statement_set in site.sets.values():
        rows = sorted(statement_set["statements"],
                      key=lambda st: (bool(site.listed_where("maps_to", st["id"])), st["number"]))
        text += f"## {markup.text(statement_set['title'])}\n\n" + markup.json_lines("coverage-table", [
            [f"statements/{st['id']}", st["id"], st["title"],
             [[p["id"], p["title"]] for p in site.listed_where("maps_to", st["id"])]] for st in rows]) + "\n"
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
    text += "## Audiences\n\nUse these ids in `audience`.\n\n" + _vocabulary_table(site, "audiences")
    text += "## Topics\n\nUse these ids in `topics`.\n\n" + _vocabulary_table(site, "topics")
    text += ("## Career stages\n\nUse these ids in `stage`, in this order.\n\n"
             + _vocabulary_table(site, "career-stages", "pcf_level", "PCF level"))
    text += "## Framework statements\n\nUse these ids in `maps_to` and in the `{statement}` role.\n"
    for statement_set in site.sets.values():
        text += (f"\n### {markup.text(statement_set['title'])}\n\n"
                 f"Issued by {markup.text(statement_set['issued_by'])}.\n\n| Id | Statement |\n| --- | --- |\n")
        text += "".join(f"| {markup.doc(st['id'], 'statements/' + st['id'])} | {markup.text(st['title'])} |\n"
                        for st in statement_set["statements"])
    return text


def search_page() -> str:
    return front("Search", "search") + "```{search-box}\n```\n"


def not_found(site: SiteData) -> str:
    return (front("Page not found", "not-found") + "The page you asked for is not here. It may have "
            f"moved or been removed.\n\n- Go to the {markup.doc('home page', 'index')}\n"
            f"- {markup.doc('Search the toolkit', 'search')}\n")


def generated_pages(site: SiteData) -> dict[str, str]:
    """docname -> MyST source of every generated page."""
    pages = {"index": home(site), "glossary": glossary(site), "whats-new": whats_new(site),
             "coverage": coverage(site), "search": search_page(), "404": not_found(site)}
    pages["authoring-reference"] = authoring_reference(site)
    pages |= {f"sections/{SECTION_SLUGS[kind]}": section(site, kind) for kind in SECTIONS}
    pages |= framework_pages(site)
    pages |= vocabulary_pages(site, "audiences", "audience", "audiences", "Browse by who you are",
                              "Choose your role to see the pages written for you.")
    pages |= vocabulary_pages(site, "topics", "topics", "topics", "Browse by topic",
                              "Choose a topic to see its pages.")
    pages |= vocabulary_pages(site, "career-stages", "", "stages", "Career stages",
                              "The development pathway from student to director.")
    return pages


def write_generated(app: Sphinx) -> None:
    """Write every generated page into the source folder; remove ones no longer generated."""
    source = Path(app.srcdir)
    pages = generated_pages(site_data())
    for docname, text in pages.items():
        write_if_changed(source / f"{docname}.md", text.encode("utf-8"))
    for folder in GENERATED_FOLDERS:
        for path in (source / folder).glob("*.md"):
            if f"{folder}/{path.stem}" not in pages:
                path.unlink()
    for name in GENERATED_PAGES:
        if name not in pages and (source / f"{name}.md").is_file():
            (source / f"{name}.md").unlink()


def setup_generated(app: Sphinx) -> None:
    app.connect("builder-inited", write_generated)
