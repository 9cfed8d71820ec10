"""The content contract (what authors write, as the contribute page explains) as field rules:
one source for validation and for the generated authoring reference."""

from __future__ import annotations

from dataclasses import replace

from toolkit.content.fields import Field
from toolkit.content.kinds import (
    KIND_FIELDS,
    KIND_SECTIONS,
    KINDS,
    PAGE_KINDS,
    SECTION_RECORDS,
    SECTIONS,
    SIDEBAR_SECTIONS,
    PageKind,
    Section,
    register_kind,
    register_section,
)

__all__ = ["KIND_FIELDS", "KIND_SECTIONS", "KINDS", "SECTION_RECORDS", "SECTIONS", "SIDEBAR_SECTIONS"]   # the registry's views, read from here too

STATUSES = ("draft", "published", "archived")
AUTHOR_SECTION = "authors"   # kept out of readers' search results and listings
# Which services a page is for; `both` is listed under each.
SERVICES: dict[str, str] = {"children": "Children's services", "adults": "Adults' services",
                            "both": "Children's and adults' services"}
RESOURCE_TYPES = ("briefing", "tool", "guide", "template", "evaluation", "case-study")
SUMMARY_MAX = 300

# Pages the builder generates (home, search and the rest): no content page may take these ids.
GENERATED_PAGES = ("index", "search", "whats-new", "digest", "coverage", "glossary", "404",
                   "authoring-reference", "legal-duties", "documents")
GENERATED_FOLDERS = ("frameworks", "statements", "audiences", "topics", "stages", "sections", "services")
SITE_VALUES = ("name", "organisation")   # the settings the {site} role writes into a page
LISTING_PAGE = "index"   # each generated folder's own listing: no vocabulary entry or set may take it

COMMON_PAGE_FIELDS: tuple[Field, ...] = (
    Field("id", "id", True, help="lowercase letters, digits and hyphens; the page is published as <id>.html"),
    Field("kind", "text", True, help="the kind of page"),   # its choices: the registered kinds
    Field("title", "text", True, help="the page title, in sentence case"),
    Field("summary", "text", True, help=f"plain text, at most {SUMMARY_MAX} characters"),
    Field("status", "text", True, STATUSES, help="draft, published or archived"),
    Field("last_reviewed", "date", True, help="the date the page was last reviewed, YYYY-MM-DD"),
    Field("review_by", "date", True, help="the date the next review is due, YYYY-MM-DD"),
    Field("audience", "id-list", help="audience ids from vocabularies/audiences.yaml"),
    Field("topics", "id-list", help="topic ids from vocabularies/topics.yaml"),
    Field("maps_to", "id-list", help="framework statement ids such as KSS-PS-7"),
    Field("related", "id-list", help="ids of related pages"),
    Field("owner", "text", help="a role, never a person's name"),
    Field("section", "text", False,   # its choices: the registered sections
          help="the section the page is listed under, if not its kind's (authors: guidance for authors)"),
    Field("service", "text", False, tuple(SERVICES), help="children's services, adults' services or both"),
    Field("changes", "mapping-list", help="a list of {date: YYYY-MM-DD, summary: ...}"),
    Field("aliases", "id-list", help="old ids of this page; each becomes a redirect"),
    Field("allow_personal_data_examples", "text-list",
          help="exact fictional strings the personal-data check should accept on this page"),
    Field("templates", "text-list", help="files readers can download (Word, Excel, PDF...), relative to this "
          "page; listed under 'Downloads' with their type and size"),
)

CHANGE_FIELDS = (
    Field("date", "date", True, help="the date of the change, YYYY-MM-DD"),
    Field("summary", "text", True, help="what changed, in one sentence"),
)

QUESTION_FIELDS = (
    Field("id", "id", True, help="unique within the assessment"),
    Field("text", "text", True, help="the question a reader rates themselves on"),
    Field("maps_to", "text", True, help="one framework statement id"),
    Field("reflection", "bool", help="true to offer a free-text reflection box"),
)
MAPPING_FIELDS = ("audience", "topics", "maps_to")   # required of a kind that `needs_mapping`

# The shipped kinds and the sections of the site, in order; the first four are in the sidebar. A page is
# listed under its kind's section, or under the one its `section` field names.
for _section in (
    Section("practice-models", "Practice models", 10, True, "The models we practise by, and how to use them."),
    Section("skills", "Core skills", 20, True, "Genograms, eco-maps, chronologies and other everyday skills."),
    Section("resources", "Leadership and supervision", 30, True, "Supervising, leading and managing social work."),
    Section("pathway", "Development pathway", 40, True,
            "Each career stage from student to director, and what comes next."),
    Section("self-assessments", "Self-assessments", 50, False,
            "Rate yourself against the frameworks and plan your development."),
    Section("guidance", "More guidance", 60, False, "Other guidance from your organisation."),
    Section("about", "About this toolkit", 70, False, "Who publishes this toolkit, accessibility and privacy."),
    Section(AUTHOR_SECTION, "For authors", 80, False, "How to write, check and publish pages."),
):
    register_section(_section)
for _kind in (
    # Plain pages are mostly about the toolkit itself (hosting, authoring, accessibility) and answer
    # fewer of a practitioner's questions than the guidance: their text weighs less in search.
    PageKind("page", "A plain guidance page.", "Guidance page", "Guidance pages", "guidance", search_weight="0.5"),
    PageKind("practice-model", "A practice model or framework, such as systemic practice.", "Practice model",
             "Practice models", "practice-models",
             (Field("evidence", "text-list", help="references for the evidence base"),
              Field("methods", "text-list", help="the model's main methods")), needs_mapping=True,
             scaffold="evidence: []                       # references for the evidence base\n"
                      "methods: []                        # the model's main methods\n"),
    PageKind("skill", "A core practice skill or tool, such as genograms or chronologies.", "Skill", "Skills", "skills",
             needs_mapping=True,
             scaffold="templates: []                      # downloadable files, relative to this page\n"),
    PageKind("resource", "A leadership, supervision or management resource.", "Resource", "Resources", "resources",
             (Field("resource_type", "text", True, RESOURCE_TYPES, help="the type of resource; a template is also "
                    "offered as Word and OpenDocument files"),), needs_mapping=True,
             scaffold="resource_type: guide                  # one of: " + ", ".join(RESOURCE_TYPES) + "\n"),
    PageKind("pathway-stage", "One stage of the development pathway.", "Pathway stage", "Pathway stages", "pathway",
             (Field("stage", "id", True, help="a career stage id"),), needs_mapping=True,
             scaffold="stage: {stage}                   # a career stage id\n"),
    PageKind("self-assessment", "Questions a reader rates themselves on, each tied to one statement.",
             "Self-assessment", "Self-assessments", "self-assessments",
             (Field("questions", "mapping-list", True, help="a list of {id, text, maps_to}"),
              Field("scale", "text-list", help="rating labels, lowest first (default 1-5)")),
             scaffold="questions:                         # each rated on the scale, tied to one statement\n"
                      "  - id: first-question\n"
                      "    text: I can explain what this question asks in my own words.\n"
                      "    maps_to: {statement}\n"
                      "    reflection: true               # offer a box for notes (optional)\n"
                      "# scale: [Not yet, Sometimes, Usually, Always]   # optional; default 1-5\n"),
):
    register_kind(_kind)


def page_fields(kind: str) -> tuple[Field, ...]:
    """The fields a page of this kind may carry, required ones marked (`kind` and `section`
    offer the kinds and sections registered now)."""
    record = PAGE_KINDS.get(kind)
    choices = {"kind": tuple(KINDS), "section": tuple(SECTIONS)}
    common = tuple(
        replace(f, required=f.required or bool(record and record.needs_mapping and f.name in MAPPING_FIELDS),
                choices=choices.get(f.name, f.choices))
        for f in COMMON_PAGE_FIELDS
    )
    return common + (record.fields if record else ())


SET_FIELDS = (
    Field("id", "text", True, help="the set id, e.g. KSS-PS; statements are SET-N"),
    Field("title", "text", True),
    Field("issued_by", "text", True, help="who owns the original framework"),
    Field("year", "int", True),
    Field("source_url", "url", True, help="a link to the original"),
    Field("valid_from", "date"),
    Field("valid_to", "date"),
    Field("superseded_by", "text", help="the id of a shipped successor set"),
    Field("licence", "text", help="the licence the original is published under, when it allows quoting "
                                  "with attribution (e.g. Open Government Licence v3.0); needed for `text`"),
    Field("licence_url", "url", help="a link to that licence"),
    Field("statements", "mapping-list", True, help="a list of {number, title, summary}"),
)

STATEMENT_FIELDS = (
    Field("number", "int", True),
    Field("title", "text", True),
    Field("summary", "text", True, help="one or two sentences in our own words"),
    Field("text", "text", help="the statement's official wording, copied word for word from the source; "
                               "only when the set names its `licence`"),
    Field("valid_from", "date"),
    Field("valid_to", "date"),
)

VOCABULARY_FIELDS = (
    Field("id", "id", True),
    Field("label", "text", True),
    Field("description", "text", True),
)
CAREER_STAGE_FIELDS = VOCABULARY_FIELDS + (Field("pcf_level", "text", True),)
GLOSSARY_FIELDS = (
    Field("term", "text", True),
    Field("definition", "text", True),
    Field("aliases", "text-list"),
    Field("see", "id", help="the id of a page that explains more"),
)

VOCABULARY_FILES = {
    "audiences.yaml": VOCABULARY_FIELDS,
    "topics.yaml": VOCABULARY_FIELDS,
    "career-stages.yaml": CAREER_STAGE_FIELDS,
    "glossary.yaml": GLOSSARY_FIELDS,
}

SETTINGS_FIELDS = (
    Field("name", "text", True, help="the site's name, shown in the header"),
    Field("organisation", "text", True, help="the organisation that publishes the site"),
    Field("logo", "text", help="a path to an image, relative to the settings file"),
    Field("favicon", "text", help="the browser tab icon (.ico, .png or .svg), relative to the settings file"),
    Field("colours", "mapping", help="{primary: '#rrggbb', primary_dark: '#rrggbb'}"),
    Field("contact", "mapping", help="{email: ..., accessibility: ...}"),
    Field("base_url", "url", help="the site's public address, for the sitemap and canonical links"),
    Field("content", "text-list", help='content roots in order, e.g. ["@toolkit", local]'),
    Field("hide", "id-list", help="shipped page ids this organisation does not publish"),
    Field("footer_links", "mapping-list", help="a list of {label, url}"),
    Field("top_tasks", "mapping-list",
          help="the home page's top tasks, first after the search box: a list of {title, page, description}"),
    Field("personal_data_allow", "text-list",
          help="exact strings (e.g. real helplines) the personal-data check accepts"),
    Field("next_update", "date", help="the date of the next planned update, shown on What's new"),
    Field("review_months", "int", help="months from a review to the next one (default 12); "
          "sets review_by on pages made by toolkit new and toolkit import"),
)
COLOUR_FIELDS = (Field("primary", "text", True), Field("primary_dark", "text"))
CONTACT_FIELDS = (
    Field("email", "text", True, help="where readers report a problem with a page"),
    Field("accessibility", "text", help="where readers report an accessibility problem"),
    Field("phone", "text"),
)
FOOTER_LINK_FIELDS = (Field("label", "text", True), Field("url", "text", True))
TOP_TASK_FIELDS = (
    Field("title", "text", True, help="what the reader wants to do, e.g. Draw a genogram"),
    Field("page", "text", True, help="a page id, or a generated page such as sections/self-assessments"),
    Field("description", "text", True, help="one line saying what they will find"),
)
