"""Deterministic synthetic sites of N valid pages, for benchmarks and build-equivalence tests.

A site is a settings file and one content root: four framework sets with real-looking
statements, the four vocabularies, and N pages of five kinds in folders of 50, each page
with full front matter and a body of realistic length (headings, lists, a table, {doc}
links, {statement} roles). Every tenth page draws a genogram, eco-map, chronology or
timeline from a small data file in its folder. The same N always gives the same bytes, and
every site passes `toolkit check` with no problems.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

FOLDER_SIZE = 50
DIAGRAM_EVERY = 10
SETTINGS = """name: Benchshire Practice Toolkit
organisation: Benchshire Council
colours: {primary: "#1d4f91"}
contact: {email: psw@benchshire.example, accessibility: web@benchshire.example}
content: [content]
"""

FRAMEWORKS = {
    "PRAC": ("Practice standards for social workers", "Benchshire Practice Board", 2021, [
        ("Building relationships", "Work alongside people to build relationships that help them change."),
        ("Listening to children", "Hear the child's own words and let them shape the plan."),
        ("Assessing need and risk", "Gather information from every source and weigh it with care."),
        ("Analysis and judgement", "Set out what the information means and why, and test it."),
        ("Planning with families", "Agree clear, shared plans that families understand."),
        ("Recording well", "Write records that the person could read and recognise."),
        ("Working with other agencies", "Share information lawfully and challenge where needed."),
        ("Using the law", "Know the legal framework and use it to protect rights."),
        ("Anti-racist practice", "Notice and act on racism and discrimination in the system."),
        ("Reflective practice", "Make time to think about the work and your part in it."),
        ("Endings and transitions", "Plan endings with people so that progress lasts."),
        ("Professional development", "Keep learning and show how it changes your practice."),
    ]),
    "SUPV": ("Standards for practice supervisors", "Benchshire Practice Board", 2022, [
        ("Reflective supervision", "Hold supervision that helps social workers think clearly."),
        ("Developing practitioners", "Help each social worker grow in skill and confidence."),
        ("Quality of decisions", "Check that decisions rest on evidence and analysis."),
        ("Managing workloads", "Keep caseloads safe and fair across the team."),
        ("Emotional support", "Notice the emotional cost of the work and respond to it."),
        ("Team culture", "Build a team where people can raise concerns and learn."),
        ("Performance and feedback", "Give honest feedback and address poor practice early."),
        ("Learning from practice", "Turn what the team learns into better ways of working."),
        ("Working across boundaries", "Build relationships with partners that help families."),
        ("Safe recruitment", "Take part in recruiting and inducting new staff well."),
    ]),
    "LEAD": ("Standards for practice leaders", "Benchshire Practice Board", 2022, [
        ("Vision for practice", "Set out a clear picture of good practice and keep to it."),
        ("Governance and audit", "Know the quality of practice and act on what you find."),
        ("Workforce development", "Plan learning and careers for the whole workforce."),
        ("Partnership working", "Lead shared work with other agencies and communities."),
        ("Listening to people", "Bring the voices of people who use services into decisions."),
        ("Using data well", "Use performance data to ask good questions, not to blame."),
        ("Leading change", "Introduce new ways of working with care and evaluation."),
        ("Ethical leadership", "Model openness, fairness and accountability."),
    ]),
    "EMPL": ("Standards for employers of social workers", "Benchshire Council", 2020, [
        ("Strong leadership", "Give social work a clear voice at the top of the organisation."),
        ("Effective workforce planning", "Plan numbers, skills and caseloads to meet demand."),
        ("Safe workloads", "Measure workloads and act when they become unsafe."),
        ("Wellbeing", "Look after the health and wellbeing of social workers."),
        ("Supervision", "Make sure every social worker has regular, good supervision."),
        ("Continuing development", "Give protected time and support for learning."),
        ("Professional registration", "Support social workers to keep their registration."),
        ("Partnerships with education", "Work with universities on placements and teaching."),
    ]),
}
AUDIENCES = [("student", "Students", "Social work students on placement."),
             ("practitioner", "Social workers", "Registered social workers."),
             ("practice-supervisor", "Practice supervisors", "First-line managers who supervise."),
             ("practice-leader", "Practice leaders", "Heads of service and senior managers."),
             ("psw", "Principal Social Workers", "Leads for the quality of practice.")]
TOPICS = [("assessment", "Assessment", "Understanding a person's situation."),
          ("supervision", "Supervision", "Reflective and accountable supervision."),
          ("relationships", "Relationships", "Working alongside people and families."),
          ("analysis", "Analysis", "Making sense of information and deciding."),
          ("planning", "Planning", "Plans that people understand and own."),
          ("recording", "Recording", "Writing records that are clear and fair."),
          ("law", "Law and rights", "The legal framework of social work."),
          ("equality", "Equality", "Anti-racist and anti-oppressive practice."),
          ("wellbeing", "Wellbeing", "Looking after social workers."),
          ("leadership", "Leadership", "Leading teams and services.")]
STAGES = [("student", "Student", "On a qualifying course.", "Entry"),
          ("asye", "Newly qualified social worker", "In the assessed first year.", "ASYE"),
          ("practitioner", "Social worker", "A registered social worker.", "Social worker"),
          ("experienced-practitioner", "Experienced social worker", "Several years in practice.",
           "Experienced social worker"),
          ("practice-supervisor", "Practice supervisor", "A first-line manager.", "Advanced"),
          ("practice-leader", "Practice leader", "A head of service.", "Strategic"),
          ("senior-leader", "Senior leader", "An assistant director.", "Strategic"),
          ("director", "Director", "The director of children's or adult services.", "Strategic")]
GLOSSARY = [("PSW", "Principal Social Worker.", "Principal Social Worker"),
            ("ASYE", "Assessed and Supported Year in Employment.", ""),
            ("CIN", "Child in need.", "Child in need"),
            ("LADO", "Local Authority Designated Officer.", "")]

SUBJECTS = ["assessment", "supervision", "direct work", "chronologies", "genograms", "eco-maps",
            "planning", "recording", "analysis", "risk", "relationships", "transitions",
            "family meetings", "advocacy", "case reviews", "team learning"]
NOUNS = ["family", "child", "young person", "carer", "social worker", "supervisor", "team",
         "plan", "record", "meeting", "partner agency", "manager", "parent", "grandparent"]
VERBS = ["helps", "supports", "asks", "records", "reviews", "explains", "plans", "notices",
         "checks", "agrees", "shares", "listens to", "challenges", "summarises"]
ADJECTIVES = ["clear", "careful", "shared", "honest", "practical", "reflective", "timely",
              "proportionate", "respectful", "written", "agreed", "steady"]
KINDS = ["skill", "resource", "practice-model", "page", "skill", "resource", "pathway-stage"]
RESOURCE_TYPES = ["briefing", "tool", "guide", "template", "evaluation", "case-study"]
DIAGRAMS = ["genogram", "eco-map", "chronology", "timeline"]
DATA_FILES = {"genogram": "genogram", "eco-map": "ecomap", "chronology": "chronology",
              "timeline": "chronology"}


@dataclass(frozen=True)
class PageSpec:
    """One synthetic page: where it lives and what it says, before it is written out."""

    id: str
    folder: str
    kind: str
    title: str
    maps_to: tuple[str, ...]
    diagram: str | None


def statement_ids() -> list[str]:
    return [f"{set_id}-{n}" for set_id, (_, _, _, items) in FRAMEWORKS.items()
            for n in range(1, len(items) + 1)]


def page_specs(count: int) -> list[PageSpec]:
    """The pages of a site of `count` pages, the same every time."""
    rng = random.Random(count)
    statements = statement_ids()
    specs = []
    for number in range(count):
        kind = KINDS[number % len(KINDS)]
        subject = SUBJECTS[number % len(SUBJECTS)]
        title = f"{subject.capitalize()}: {rng.choice(ADJECTIVES)} practice note {number + 1}"
        diagram = DIAGRAMS[(number // DIAGRAM_EVERY) % len(DIAGRAMS)] if number % DIAGRAM_EVERY == 3 else None
        specs.append(PageSpec(f"{subject.replace(' ', '-')}-note-{number + 1}", f"area-{number // FOLDER_SIZE:03d}",
                              kind, title, tuple(sorted(rng.sample(statements, rng.randint(1, 3)))), diagram))
    return specs


def _sentence(rng: random.Random) -> str:
    words = (f"The {rng.choice(NOUNS)} {rng.choice(VERBS)} the {rng.choice(NOUNS)} with a "
             f"{rng.choice(ADJECTIVES)} {rng.choice(['plan', 'record', 'question', 'summary', 'conversation'])}")
    tail = rng.choice(["", f", so that the {rng.choice(NOUNS)} knows what happens next",
                       f" before the next {rng.choice(['visit', 'review', 'meeting', 'supervision'])}",
                       f" and checks it with the {rng.choice(NOUNS)}"])
    return words + tail + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _front_matter(spec: PageSpec, rng: random.Random, specs: list[PageSpec], index: int) -> str:
    audience = sorted(rng.sample([a[0] for a in AUDIENCES], rng.randint(1, 3)))
    topics = sorted(rng.sample([t[0] for t in TOPICS], rng.randint(1, 3)))
    related = sorted({specs[(index + step) % len(specs)].id for step in (1, 7, 31)} - {spec.id})
    lines = [f"id: {spec.id}", f"kind: {spec.kind}", f"title: \"{spec.title}\"",
             f"summary: {_sentence(rng)}", f"audience: [{', '.join(audience)}]",
             f"topics: [{', '.join(topics)}]", f"maps_to: [{', '.join(spec.maps_to)}]",
             f"related: [{', '.join(related)}]", "owner: Principal Social Worker",
             "status: published", f"last_reviewed: 2026-0{1 + index % 9}-1{index % 10}",
             f"review_by: 2028-0{1 + index % 9}-1{index % 10}"]
    if spec.kind == "resource":
        lines.append(f"resource_type: {RESOURCE_TYPES[index % len(RESOURCE_TYPES)]}")
    if spec.kind == "pathway-stage":
        lines.append(f"stage: {STAGES[index % len(STAGES)][0]}")
    if index % 5 == 0:
        lines.append(f"changes:\n  - {{date: 2026-0{1 + index % 9}-1{index % 10}, summary: \"{_sentence(rng)}\"}}")
    return "---\n" + "\n".join(lines) + "\n---\n"


def page_text(spec: PageSpec, specs: list[PageSpec], index: int) -> str:
    """The whole Markdown file of one page: front matter and body."""
    rng = random.Random(f"{len(specs)}:{spec.id}")
    linked = [specs[(index * 13 + k) % len(specs)].id for k in (3, 11)]
    body = [f"# {spec.title}", "", _paragraph(rng, 4), "", "## Why it matters", "",
            _paragraph(rng, 5) + f" See {{statement}}`{spec.maps_to[0]}` and {{doc}}`{linked[0]}`.", "",
            "## What to do", ""]
    body += [f"{n}. {_sentence(rng)}" for n in range(1, 6)] + [""]
    body += [_paragraph(rng, 3), "", "- " + _sentence(rng), "- " + _sentence(rng),
             f"- Read {{doc}}`the related guidance <{linked[1]}>` first.", "", "## In practice", ""]
    body += ["| Step | Who | What good looks like |", "| --- | --- | --- |"]
    body += [f"| {n} | {rng.choice(NOUNS).capitalize()} | {_sentence(rng)} |" for n in range(1, 5)] + [""]
    if spec.diagram:
        data = f"examples/family-{spec.folder}.{DATA_FILES[spec.diagram]}.yaml"
        body += [f"```{{{spec.diagram}}} {data}", f":caption: A fictional family, drawn as a {spec.diagram}",
                 "```", ""]
    body += ["## Reflect", "", _paragraph(rng, 4), "", "```{note}", _sentence(rng), "```", "",
             _paragraph(rng, 3), ""]
    return _front_matter(spec, rng, specs, index) + "\n".join(body)


def framework_yaml(set_id: str) -> str:
    title, issuer, year, items = FRAMEWORKS[set_id]
    lines = [f"id: {set_id}", f"title: {title}", f"issued_by: {issuer}", f"year: {year}",
             f"source_url: https://practice.benchshire.example/frameworks/{set_id.lower()}", "statements:"]
    lines += [f"  - {{number: {n}, title: \"{t}\", summary: \"{s}\"}}" for n, (t, s) in enumerate(items, 1)]
    return "\n".join(lines) + "\n"


def _vocabulary(entries: list[tuple[str, ...]], extra: str = "") -> str:
    return "".join(f"- {{id: {e[0]}, label: \"{e[1]}\", description: \"{e[2]}\""
                   + (f", {extra}: \"{e[3]}\"" if extra else "") + "}\n" for e in entries)


def diagram_data(folder: str) -> dict[str, str]:
    """Small, valid data files for one folder's diagrams (fictional people, no real data)."""
    return {
        "genogram": ("index: child\npeople:\n"
                     "  - {id: nan, label: Nan, sex: female, born: 1956}\n"
                     "  - {id: mum, label: Mum, sex: female, born: 1988}\n"
                     "  - {id: dad, label: Dad, sex: male, born: 1986}\n"
                     f"  - {{id: child, label: \"A ({folder[-1]})\", sex: female, born: 2016}}\n"
                     "unions:\n  - {partners: [mum, dad], status: separated, since: 2021, children: [child]}\n"
                     "relationships:\n  - {between: [mum, nan], type: close}\n"
                     "households:\n  - [mum, child]\n"),
        "ecomap": ("centre: {label: \"A and Mum\"}\nsystems:\n"
                   "  - {label: School, strength: strong, flow: both, note: \"Attends well\"}\n"
                   "  - {label: Nan, strength: moderate, flow: from}\n"
                   "  - {label: GP, strength: tenuous, flow: to}\n"
                   "  - {label: Housing, strength: stressful, flow: to}\n"),
        "chronology": ("subject: \"A\"\nentries:\n"
                       "  - {date: 2021-03-02, source: School, event: \"A seemed tired in class\", "
                       "impact: \"Teacher spoke to Mum\", significance: medium}\n"
                       "  - {date: 2021-06, source: Health visitor, event: \"Home visit\", significance: low}\n"
                       "  - {date: 2022, source: Police, event: \"Argument at home reported\", "
                       "impact: \"A heard it\", significance: high}\n"),
    }


def write_site(folder: Path, count: int) -> Path:
    """Write a site of `count` pages into `folder` (emptied first is the caller's job); return
    the settings file."""
    content = folder / "content"
    files: dict[str, str] = {"frameworks/" + f"{s}.yaml": framework_yaml(s) for s in FRAMEWORKS}
    files["vocabularies/audiences.yaml"] = _vocabulary(AUDIENCES)
    files["vocabularies/topics.yaml"] = _vocabulary(TOPICS)
    files["vocabularies/career-stages.yaml"] = _vocabulary(STAGES, "pcf_level")
    files["vocabularies/glossary.yaml"] = "".join(
        f"- {{term: {t}, definition: \"{d}\"" + (f", aliases: [\"{a}\"]" if a else "") + "}\n"
        for t, d, a in GLOSSARY)
    specs = page_specs(count)
    for index, spec in enumerate(specs):
        files[f"{spec.folder}/{spec.id}.md"] = page_text(spec, specs, index)
    for folder_name in sorted({s.folder for s in specs if s.diagram}):
        for suffix, text in diagram_data(folder_name).items():
            files[f"{folder_name}/examples/family-{folder_name}.{suffix}.yaml"] = text
    for relative, text in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "site.yaml").write_text(SETTINGS, encoding="utf-8")
    return folder / "site.yaml"


EDIT_MARKER = "This paragraph was added to time a one-page rebuild"


def edit_one_page(folder: Path, count: int) -> tuple[str, str]:
    """Edit one page of a site written by `write_site`: add a paragraph naming a statement with
    the {statement} role, and add that statement to its maps_to. Return (page id, statement)."""
    spec = page_specs(count)[count // 2]
    added = next(s for s in reversed(statement_ids()) if s not in spec.maps_to)
    path = folder / "content" / spec.folder / f"{spec.id}.md"
    text = path.read_text(encoding="utf-8").replace(f"maps_to: [{', '.join(spec.maps_to)}]",
                                                    f"maps_to: [{', '.join(spec.maps_to + (added,))}]")
    path.write_text(text + f"\n{EDIT_MARKER}: see {{statement}}`{added}`.\n", encoding="utf-8")
    return spec.id, added


def edit_shown(folder: Path, page_id: str, statement: str) -> list[str]:
    """What the built site fails to show of `edit_one_page` (empty when every page is updated)."""
    html = folder / "_build" / "html"
    missing = []
    if EDIT_MARKER not in (html / f"{page_id}.html").read_text(encoding="utf-8"):
        missing.append(f"{page_id}.html lacks the new paragraph")
    listing = (html / "statements" / f"{statement}.html").read_text(encoding="utf-8")
    # The page now supports and mentions the statement: listed once, among the supporting pages.
    if listing.count(f'href="../{page_id}.html"') != 1:
        missing.append(f"statements/{statement}.html does not list the page exactly once")
    # The coverage matrix counts a statement's pages by section: its row must count every page
    # the statement's own page lists (a stale matrix would miss the edited page).
    coverage = (html / "coverage.html").read_text(encoding="utf-8")
    row = next((r for r in coverage.split("<tr") if f"statements/{statement}.html" in r), "")
    cells = re.findall(r'class="toolkit-count[^"]*"><p>(.*?)</p>', row)   # per section, then the total
    counted = int(cells[-1]) if cells and cells[-1].isdigit() else 0
    supporting = listing.split("Pages for this statement", 1)[-1].split("</section>", 1)[0]
    if counted != len(set(re.findall(r'href="\.\./([a-z0-9-]+)\.html"', supporting))):
        missing.append("coverage.html does not count the page against the statement")
    return missing
