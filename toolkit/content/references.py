"""Checks across files: every id a page names must exist in the merged site."""

from __future__ import annotations

import datetime as dt

from toolkit.content.fields import unknown_id
from toolkit.content.model import Page, Site
from toolkit.core.problems import Problem, error, info, warning
from toolkit.content.schemas import GENERATED_PAGES, SECTIONS
from toolkit.content.selfassessment import check_self_assessment
from toolkit.content.settings import shown_path

REVIEW_SOON_DAYS = 60


def _unknown(page: Page, field: str, index: int, value: str, what: str, known: list[str],
             where: str) -> Problem:
    return unknown_id(page.shown, page.item_line(field, index), field, value, what, known,
                      f"use an id from {where}")


def check_references(site: Site, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    stages = list(site.vocabularies["career-stages"])
    soon = today + dt.timedelta(days=REVIEW_SOON_DAYS)
    hidden = set(site.settings.hide)
    checks = (
        ("audience", site.vocabularies["audiences"], "audience", "vocabularies/audiences.yaml"),
        ("topics", site.vocabularies["topics"], "topic", "vocabularies/topics.yaml"),
        ("maps_to", site.statements, "framework statement", "a framework set, e.g. KSS-PS-7"),
    )
    for page in site.pages.values():
        for field, known, what, where in checks:
            for index, value in enumerate(getattr(page, field)):
                if value not in known:
                    problems.append(_unknown(page, field, index, value, what, list(known), where))
        for index, value in enumerate(page.related):
            if value in site.pages and site.pages[value].published or value in site.unusable:
                continue
            if value in hidden or value in site.pages:
                reason = "hidden by the settings" if value in hidden else "not published"
                problems.append(warning(page.shown, page.item_line("related", index),
                                        "related-dropped",
                                        f"related page '{value}' is {reason}; the link is left out"))
            else:
                problems.append(_unknown(page, "related", index, value, "page id",
                                         list(site.pages), "another page's front matter"))
        problems += check_self_assessment(page, site)
        stage = page.extras.get("stage")
        if stage is not None and stage not in site.vocabularies["career-stages"]:
            problems.append(unknown_id(page.shown, page.line_of["stage"], "stage", stage, "career stage",
                                       stages, "use an id from vocabularies/career-stages.yaml"))
        if page.status == "published" and page.review_by < today:
            problems.append(warning(page.shown, page.line_of["review_by"], "review-overdue",
                                    f"review_by {page.review_by} has passed",
                                    "review the page, then update last_reviewed and review_by"))
        elif page.status == "published" and page.review_by <= soon:
            problems.append(info(page.shown, page.line_of["review_by"], "review-due-soon",
                                 f"review due on {page.review_by}, within {REVIEW_SOON_DAYS} days"))
        for index, alias in enumerate(page.aliases):
            if alias in site.pages:
                problems.append(error(page.shown, page.item_line("aliases", index), "alias-clash",
                                      f"alias '{alias}' is the id of another page",
                                      "an alias must be an old id that no page uses now"))
    for term in site.glossary.values():
        if term.see in hidden:
            problems.append(warning(term.shown, term.line, "hidden-see", f"glossary term '{term.term}': see "
                                    f"'{term.see}' is hidden by the settings; the link is left out"))
        elif term.see and term.see not in site.pages and term.see not in site.unusable:
            problems.append(error(term.shown, term.line, "unknown-see",
                                  f"glossary term '{term.term}': see '{term.see}' is not a page id",
                                  "use the id of a published page, or remove 'see'"))
    problems += check_top_tasks(site)
    return problems


def generated_docnames(site: Site) -> set[str]:
    """The pages the builder makes for this site (see GENERATED_PAGES and GENERATED_FOLDERS)."""
    folders = {"sections": SECTIONS, "frameworks": site.sets, "statements": site.statements,
               "audiences": site.vocabularies["audiences"], "topics": site.vocabularies["topics"],
               "stages": site.vocabularies["career-stages"]}
    return set(GENERATED_PAGES) | {f"{folder}/{name}" for folder, names in folders.items()
                                   for name in [*names, "index"]}


def check_top_tasks(site: Site) -> list[Problem]:
    """Each of the home page's top tasks leads to a published page of this site."""
    known = generated_docnames(site) | {p.id for p in site.pages.values() if p.published}
    shown = shown_path(site.settings.path, site.settings.folder)
    return [unknown_id(shown, line, "page", page, "page", sorted(known),
                       f"top task '{title}': use a published page's id or a generated page such as "
                       "sections/self-assessments")
            for title, page, _, line in site.settings.top_tasks if page not in known]

