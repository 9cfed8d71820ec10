"""Every problem code the toolkit reports, with what it means: one registry.

Each `Problem` carries one of these codes; text output shows it as `[code]` and the authoring
reference lists them all, so an author can search for a message and a web team can filter.
A test reads every `error`/`warning`/`info` call in the code and fails on a code not listed here.
Families (`genogram-…`, `personal-data-…`, `unknown-…`) are listed member by member.
"""

from __future__ import annotations

from types import MappingProxyType

_CODES: dict[str, str] = {
    # reading files
    "cannot-read": "the file could not be read, or is not an ordinary file (a broken link?)",
    "not-utf8": "the file is not saved as UTF-8 text",
    "markdown-too-deep": "Markdown nested more than 30 levels (directives, quotes or lists)",
    "page-too-long": "a page's text over 1,000,000 characters or 20,000 lines",
    "page-too-much-markup": "a page or paragraph with too many markup characters ([ ] * _ ` and the like)",
    "unknown-link": "a Markdown link to something on the site that no page or label has",
    "unsafe-output": "the preview's scan of the built site found script, a frame or a request to another host",
    "bidi-control": "an invisible character that shows text in another order than written (U+202A-E, U+2066-9)",
    "nul-byte": "a NUL byte (an invisible character no text may hold) in a file",
    "file-too-big": "the file is larger than the toolkit reads (10 MB)",
    "path-outside-root": "a path leads outside its content root (or the settings file's folder)",
    "linked-folder": "a link to a folder, which is not read",
    "missing-file": "a file a page names does not exist",
    "file-type-not-allowed": "a file of a type the site may not publish (a web page, script or program)",
    "svg-active-content": "an SVG drawing with script or embedded content",
    "attachment-unreadable": "an attached Word or Excel file that could not be opened to check it",
    # YAML
    "yaml-syntax": "the YAML (front matter or a data file) cannot be read",
    "yaml-key": "a YAML key that is not plain text",
    "yaml-duplicate-key": "the same key twice in one YAML mapping",
    "yaml-bad-date": "a date that is not a real date written YYYY-MM-DD",
    "yaml-hash-in-value": "a # in an unquoted value, which YAML reads as the start of a comment",
    "yaml-invisible-character": "an invisible or non-breaking space (often pasted from Word)",
    "yaml-too-deep": "YAML nested more than 50 levels",
    "yaml-alias-loop": "a YAML alias that refers to itself",
    "yaml-too-many-values": "a YAML document with more than 100,000 values",
    "yaml-aliases": "YAML aliases that repeat more than 10,000 values",
    # front matter and fields
    "no-front-matter": "a page without front matter between --- lines",
    "front-matter-unclosed": "front matter with no closing --- line",
    "not-a-mapping": "front matter or a data file that is not a list of `field: value` lines",
    "not-a-list": "a vocabulary file that is not a list of entries",
    "missing-field": "a required field is missing",
    "unknown-field": "a field the kind does not have (often a misspelling)",
    "wrong-type": "a field's value is of the wrong type (text, list, date, number)",
    "bad-choice": "a value that is not one of the field's choices",
    "summary-too-long": "a summary longer than 300 characters",
    "reserved-id": "an id a generated page uses (index, search, frameworks, ...)",
    "duplicate-id": "two pages (or entries) with the same id in one root",
    "bad-alias": "an alias that is not a usable old id of the page",
    "review-before-reviewed": "review_by is before last_reviewed",
    # ids and references
    "unknown-audience": "an audience id not in vocabularies/audiences.yaml",
    "unknown-topics": "a topic id not in vocabularies/topics.yaml",
    "unknown-maps-to": "a framework statement id that no framework set has",
    "unknown-related": "a related page id that no published page has",
    "unknown-stage": "a career stage id not in vocabularies/career-stages.yaml",
    "unknown-page": "a page id (in the settings or the glossary) that no page has",
    "unknown-statement": "a {statement} role naming a statement no framework set has",
    "unknown-ref": "a {ref} link to a label no page defines",
    "unknown-site": "a {site} role naming a setting it cannot show",
    "unknown-doc": "a {doc} link to a page id no page has",
    "unknown-see": "a glossary term whose `see` names no page",
    "hidden-doc": "a {doc} link to a page the settings hide: shown as plain text",
    "hidden-see": "a glossary term whose `see` page the settings hide",
    "related-dropped": "a related page that is a draft or archived: left out of the list",
    "alias-clash": "an alias that is also another page's id or alias",
    "review-overdue": "the page's review_by date has passed",
    "review-due-soon": "the page's review is due within 60 days",
    # layering of roots
    "page-replaced": "a page replaces one with the same id from an earlier root",
    "set-replaced": "a framework set replaces one with the same id from an earlier root",
    "entry-replaced": "a vocabulary entry replaces one with the same id",
    "term-replaced": "a glossary term replaces one of an earlier root",
    "hide-unknown": "the settings hide a page id no page has",
    # frameworks, vocabularies, self-assessments
    "bad-set-id": "a framework set id that is not capitals, digits and hyphens",
    "duplicate-statement": "two statements with the same number in one set",
    "no-statements": "a framework set with no statements",
    "valid-to-before-from": "a framework's valid_to is before its valid_from",
    "duplicate-entry": "two vocabulary entries with the same id",
    "no-questions": "a self-assessment with no questions",
    "duplicate-question": "two questions with the same id in one self-assessment",
    "scale-too-short": "a rating scale with fewer than two labels",
    "duplicate-scale-label": "the same label twice in a rating scale",
    # settings
    "settings-colour": "a colour that is not written #rrggbb",
    "settings-contrast": "a colour whose text contrast fails WCAG AA",
    "settings-contact": "a contact address missing or still the placeholder",
    "settings-link": "a footer link whose address is not allowed (javascript:, data:)",
    "settings-pack": "a content pack named in `content` that is not installed",
    "settings-root": "a content root that is not a folder",
    "settings-review-months": "review_months that is not a whole number of months from 1",
    "settings-logo": "a logo file outside the settings folder, missing or of the wrong type",
    "settings-favicon": "a favicon file outside the settings folder, missing or of the wrong type",
    # markup in page bodies
    "unsafe-html": "raw HTML in a page (pages carry no HTML)",
    "unsafe-meta-refresh": "a <meta http-equiv> or redirect",
    "unsafe-attribute": "an event-handler attribute (onclick=...) or option",
    "link-scheme": "a link to a file:, smb:, tel: or other address that is not a web page (shown as plain text)",
    "windows-path": "a path on one computer or network drive (C:\\..., \\\\server\\...), which readers cannot open",
    "unknown-icon": "an {octicon} name that is not in sphinx-design's Octicons",
    "unsafe-url": "a javascript:, vbscript: or data: address",
    "unsafe-role": "a role the toolkit does not support (math, raw HTML, icon fonts)",
    "unsafe-directive": "a directive the toolkit does not support (include, raw, ...)",
    "remote-image": "an image from another host (it can track readers)",
    "duty-no-source": "a {duty} block without its source",
    "image-alt": "an image without alt text",
    "plain-english": "a page whose prose reads well above the plain-English target",
    # personal data
    "personal-data-email": "something shaped like a real email address",
    "personal-data-phone": "something shaped like a real phone number",
    "personal-data-nhs-number": "something shaped like a real NHS number",
    "personal-data-ni-number": "something shaped like a real National Insurance number",
    "personal-data-postcode": "something shaped like a real postcode",
    # diagrams
    "diagram-unknown": "a diagram directive the toolkit does not know",
    "diagram-path-and-body": "a diagram with both a file path and inline data",
    "diagram-no-data": "a diagram with neither a file path nor inline data",
    "diagram-file-kind": "a diagram data file whose name does not say its kind (x.genogram.yaml)",
    # evaluation and 360 feedback (toolkit report evaluation)
    "csv-syntax": "a ratings CSV file that cannot be read",
    "csv-no-header": "a ratings CSV file without its header row",
    "csv-delimiter": "a ratings CSV file separated by something other than commas",
    "csv-missing-column": "a ratings CSV file missing a column",
    "csv-duplicate-column": "a ratings CSV file with a column twice",
    "csv-row-width": "a CSV row with more or fewer cells than the header",
    "csv-empty-value": "an empty cell where a value is needed",
    "csv-bad-statement": "a statement id in a ratings file that no framework set has",
    "csv-bad-rating": "a rating that is not a whole number on the scale",
    "csv-no-ratings": "a ratings file with no ratings",
    "response-damaged": "a 360 response file or code that is damaged",
    "response-wrong-assessment": "a 360 response for another assessment or request",
    "response-duplicate-rater": "a second 360 response from the same rater",
    # framework successors
    "unknown-superseded-by": "a framework's superseded_by names a set no content root has",
    "quote-without-licence": "a statement's official text quoted in a set that names no licence allowing it",
    "superseded-by-itself": "a framework set that names itself as its successor",
    # workload tariffs and the calculator
    "tariff-capacity": "a tariff's capacity that is not a positive number",
    "tariff-points": "a tariff item's points that are not a number of zero or more",
    "no-tariff-items": "a tariff with no items",
    "duplicate-tariff-item": "the same item id twice in one tariff",
    "duplicate-tariff": "two tariff files with the same id in one content root",
    "tariff-replaced": "a tariff that replaces one of the same id from an earlier root (information)",
    "unknown-tariff": "a {workload-calculator} naming a tariff no file defines",
    "calculator-text": "text inside a {workload-calculator} block, which takes none",
    "calculator-no-tariff": "a {workload-calculator} without a tariff id",
}

# What the diagram checks report about a diagram's data, as `<type>-<code>` (genogram-unknown-person).
DIAGRAM_CODES: dict[str, str] = {
    "empty": "the diagram data is empty",
    "not-mapping": "a value that must be a mapping of fields",
    "not-list": "a value that must be a list",
    "not-text": "a value that must be text",
    "not-boolean": "a value that must be true or false",
    "bad-value": "a value that is not one of those allowed",
    "bad-date": "a date that is not YYYY, YYYY-MM or YYYY-MM-DD",
    "missing-field": "a required field of the diagram is missing",
    "unknown-field": "a field the diagram does not have",
    "unknown-person": "a person id no one in the diagram has",
    "duplicate-id": "the same id twice in one diagram",
    "wrong-count": "a union or relationship that does not name the right number of people",
    "died-before-born": "a death date before the birth date",
    "two-pregnancy-flags": "more than one pregnancy marker on one person",
    "self-care": "a person who is their own carer",
    "self-union": "a union of a person with themselves",
    "self-relationship": "a relationship of a person with themselves",
    "own-ancestor": "a person who is their own ancestor",
    "two-parent-unions": "a child in two unions",
    "child-older": "a child born before their parent",
    "bad-twins": "a twins group that is not two or more children, each in one group",
    "unconnected": "a person in no union, household or relationship",
    "too-many-people": "more people than a genogram can draw legibly",
    "too-many-entries": "more entries than a chronology fits on one page",
}

PROBLEM_CODES: MappingProxyType[str, str] = MappingProxyType(_CODES)


def register_code(code: str, meaning: str) -> None:
    """Add a code (a new check's, or each `<type>-<code>` of a new diagram type)."""
    if code in _CODES and _CODES[code] != meaning:
        raise ValueError(f"problem code {code!r} is already registered as {_CODES[code]!r}")
    _CODES[code] = meaning


def register_diagram_codes(type_name: str, about: str) -> None:
    """The codes of a diagram type's data checks: `<type_name>-<code>` for each DIAGRAM_CODES."""
    for code, meaning in DIAGRAM_CODES.items():
        register_code(f"{type_name}-{code}", f"{about}: {meaning}")

