"""Decap CMS configuration generated from the content contract and the loaded site.

Every page field comes from `toolkit.content.schemas` (its type, whether it is required, its fixed
choices and its help text); audiences, topics, career stages, framework statements and page
ids come from the site as it is loaded now, so the editor offers exactly what `toolkit check`
accepts, and changes with the contract. The only folders named are the site's own roots.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.content.fields import ID_PATTERN, Field
from toolkit.content.model import Site
from toolkit.content.schemas import (
    CHANGE_FIELDS,
    GLOSSARY_FIELDS,
    KINDS,
    PAGE_KINDS,
    QUESTION_FIELDS,
    SUMMARY_MAX,
    VOCABULARY_FIELDS,
    page_fields,
)
from toolkit.editor.diagram_forms import DIAGRAM_FORMS
from toolkit.editor.roots import editable_roots, relative

EDITOR_PATH = "/_edit/"
API_PATH = EDITOR_PATH + "api/v1"
MEDIA_FOLDER = "images"
DATE_FORMAT = "YYYY-MM-DD"
# Lists of mappings: the sub-fields of each item, from the same schemas `toolkit check` uses.
ITEM_FIELDS: dict[str, tuple[Field, ...]] = {"changes": CHANGE_FIELDS, "questions": QUESTION_FIELDS}
# The vocabulary files a root may hold, edited as one list each (`terms` is the list's name).
VOCABULARY_FORMS = {"audiences.yaml": ("Audiences", VOCABULARY_FIELDS),
                    "topics.yaml": ("Topics", VOCABULARY_FIELDS),
                    "glossary.yaml": ("Glossary", GLOSSARY_FIELDS)}
LIST_KEY = "terms"


def _options(site: Site) -> dict[str, list[dict[str, str]]]:
    """Select options for fields whose values are ids the site defines."""
    def vocabulary(name: str) -> list[dict[str, str]]:
        return [{"label": entry.label, "value": entry.id} for entry in site.vocabularies[name].values()]
    pages = sorted([*site.pages.values(), *site.hidden.values()], key=lambda p: p.title.lower())
    return {
        "audience": vocabulary("audiences"),
        "topics": vocabulary("topics"),
        "stage": vocabulary("career-stages"),
        "maps_to": [{"label": f"{s.id}: {s.title}", "value": s.id} for s in site.statements.values()],
        "related": [{"label": f"{p.title} ({p.id})", "value": p.id} for p in pages],
    }


def widget(field: Field, options: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    """One form field for one contract field."""
    form: dict[str, Any] = {"name": field.name, "label": field.name.replace("_", " ").capitalize(),
                            "required": field.required}
    if field.help:
        form["hint"] = field.help
    if field.choices:
        form |= {"widget": "select", "options": list(field.choices)}
    elif field.name in options:
        form |= {"widget": "select", "options": options[field.name], "multiple": field.type == "id-list"}
    elif field.type == "date":
        form |= {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT,
                 "time_format": False}
    elif field.type == "bool":
        form |= {"widget": "boolean", "default": False}
    elif field.type == "int":
        form |= {"widget": "number", "value_type": "int"}
    elif field.type in ("text-list", "id-list"):
        item = {"name": "item", "label": "Item", "widget": "string"}
        if field.name == "templates":
            item |= {"widget": "file", "label": "File", "media_folder": "templates", "public_folder": "templates"}
        form |= {"widget": "list", "field": item}
    elif field.type == "mapping-list":
        form |= {"widget": "list", "fields": [widget(f, options) for f in ITEM_FIELDS[field.name]]}
    elif field.name == "summary":
        form |= {"widget": "text", "pattern": [f"^[\\s\\S]{{1,{SUMMARY_MAX}}}$",
                                               f"At most {SUMMARY_MAX} characters"]}
    elif field.type == "id":
        form |= {"widget": "string", "pattern": [ID_PATTERN.pattern,
                                                 "Lowercase letters, digits and hyphens only"]}
    else:
        form |= {"widget": "string"}
    if field.name == "maps_to" and field.type == "text":   # a question's one statement
        form |= {"widget": "select", "options": options["maps_to"]}
    return form


def page_collection(kind: str, folder: str, name: str, label: str, site: Site) -> dict[str, Any]:
    options = _options(site)
    fields = []
    for field in page_fields(kind):
        if field.name == "kind":
            fields.append({"name": "kind", "label": "Kind", "widget": "hidden", "default": kind})
        else:
            fields.append(widget(field, options))
    fields.append({"name": "body", "label": "Page text", "widget": "markdown", "modes": ["raw"],
                   "hint": "Markdown: ## for headings, {doc}`page-id` to link a page, "
                           "{statement}`KSS-PS-7` to name a statement"})
    return {
        "name": name, "label": label, "label_singular": PAGE_KINDS[kind].label,
        "description": KINDS[kind], "folder": folder, "create": True, "extension": "md",
        "format": "frontmatter", "filter": {"field": "kind", "value": kind},
        "identifier_field": "title", "slug": "{{fields.id}}", "summary": "{{title}} ({{status}})",
        "media_folder": MEDIA_FOLDER, "public_folder": MEDIA_FOLDER, "fields": fields,
        "editor": {"preview": False},   # the live preview is the real site, not Decap's sketch of it
    }


def diagram_collection(kind: str, folder: str, name: str, label: str) -> dict[str, Any]:
    form = DIAGRAM_FORMS[kind]
    return {"name": name, "label": label, "folder": folder, "create": True,
            "extension": form.suffix.lstrip("."), "format": "yaml", "identifier_field": "file_name",
            "slug": "{{fields.file_name}}", "fields": [form.file_name_field(), *form.fields]}


def vocabulary_collection(folder: str, name: str, label: str) -> dict[str, Any]:
    files = []
    for file_name, (title, item_fields) in VOCABULARY_FORMS.items():
        files.append({"name": file_name.removesuffix(".yaml"), "label": title,
                      "file": f"{folder}/vocabularies/{file_name}",
                      "fields": [{"name": LIST_KEY, "label": title, "widget": "list",
                                  "fields": [widget(f, {}) for f in item_fields]}]})
    return {"name": name, "label": label, "files": files}


def _suffix(index: int, count: int) -> str:
    """What tells apart the collections of several roots (none for the usual one root)."""
    return "" if count == 1 else f"-{index + 1}"


def entry_route(site: Site, path: Path, kind: str) -> str:
    """The editor's address (after `#`) of the page at `path`, of kind `kind`."""
    roots = editable_roots(site.settings)
    index = next(i for i, root in enumerate(roots) if path.resolve().is_relative_to(root))
    slug = path.resolve().relative_to(roots[index]).with_suffix("").as_posix()
    return f"/collections/{kind}{_suffix(index, len(roots))}/entries/{slug}"


def collections(site: Site) -> list[dict[str, Any]]:
    """One collection per page kind, diagram kind and vocabulary, for each editable root."""
    roots = editable_roots(site.settings)
    found: list[dict[str, Any]] = []
    for index, root in enumerate(roots):
        folder = relative(root, site.settings)
        suffix, where = _suffix(index, len(roots)), "" if len(roots) == 1 else f" ({folder})"
        found += [page_collection(kind, folder, kind + suffix, PAGE_KINDS[kind].plural + where, site)
                  for kind in KINDS]
        found += [diagram_collection(kind, folder, kind + suffix, form.label + where)
                  for kind, form in DIAGRAM_FORMS.items()]
        found.append(vocabulary_collection(folder, "vocabularies" + suffix, "Glossary and vocabularies" + where))
    return found


def editor_config(site: Site, backend: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole Decap configuration. Without `backend`, the local backend of `toolkit serve`
    (the editor's own origin); with one, e.g. a Git host for an editorial workflow."""
    roots = editable_roots(site.settings)
    media = f"{relative(roots[0], site.settings)}/{MEDIA_FOLDER}" if roots else MEDIA_FOLDER
    config: dict[str, Any] = {
        "backend": backend or {"name": "proxy", "proxy_url": API_PATH},
        "media_folder": media, "public_folder": "/" + MEDIA_FOLDER,
        "locale": "en",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": collections(site),
    }
    if backend and backend.get("name") in ("github", "gitlab", "gitea", "bitbucket"):
        config["publish_mode"] = "editorial_workflow"
    return config
