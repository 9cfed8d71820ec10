"""Legal duties marked in a page: what the law requires ("must"), told apart from guidance.

An author writes a `{duty}` block naming the Act and section. It is drawn as a note with its own
accessible name ("Legal duty: Care Act 2014, section 42"), listed in the page's facts, and
collected on the generated "Legal duties" page, grouped by the pages' topics. `toolkit check`
refuses a duty without its source (toolkit/checks/markup.py), so every duty says where it comes
from. Collected in the environment with purge and merge beside it, so parallel and incremental
builds list the same duties (the pattern of Sphinx's own `todo` extension).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from builder.links import joined, page_link
from builder.sitedata import site_data, write_when_changed

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

DUTIES_PAGE = "legal-duties"
DUTY_LABEL = "Legal duty"
OTHER_TOPIC = "Other pages"


@dataclass(frozen=True)
class Duty:
    docname: str
    anchor: str
    source: str
    text: str


class duty(nodes.General, nodes.Element):
    """A passage stating a legal duty; `source` names the Act and section."""


class duty_list(nodes.General, nodes.Element):
    """Where the "Legal duties" page lists every duty of the site (filled when it is written)."""


class DutyDirective(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"link": directives.uri}

    def run(self) -> list[nodes.Node]:
        source = " ".join(self.arguments[0].split())
        on_page = self.env.__dict__.setdefault("toolkit_duties", {}).setdefault(self.env.docname, [])
        anchor = f"duty-{len(on_page) + 1}"
        node = duty(source=source, link=self.options.get("link", ""), ids=[anchor])
        self.state.nested_parse(self.content, self.content_offset, node)
        on_page.append(Duty(self.env.docname, anchor, source, " ".join(node.astext().split())))
        return [node]


class DutyListDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        return [duty_list()]


def visit_duty(self: HTML5Translator, node: duty) -> None:
    source = escape(node["source"])
    label = escape(f"{DUTY_LABEL}: {node['source']}", quote=True)
    cited = (f'<a href="{escape(node["link"], quote=True)}">{source}</a>' if node["link"] else source)
    key = self.builder.get_relative_uri(self.builder.current_docname, DUTIES_PAGE)
    self.body.append(f'<aside class="toolkit-duty" id="{node["ids"][0]}" role="note" aria-label="{label}">'
                     f'<p class="toolkit-duty-label"><strong>{DUTY_LABEL}</strong> '
                     f'<span class="toolkit-duty-source">{cited}</span> '
                     f'<a class="toolkit-duty-key" href="{key}">what a legal duty means</a></p>')


def depart_duty(self: HTML5Translator, node: duty) -> None:
    self.body.append("</aside>")


def purge_duties(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "toolkit_duties", {}).pop(docname, None)


def merge_duties(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    mine = env.__dict__.setdefault("toolkit_duties", {})
    for docname, found in getattr(other, "toolkit_duties", {}).items():
        if docname in docnames:
            mine[docname] = found


def list_on_page_facts(app: Sphinx, doctree: nodes.document) -> None:
    """The page's facts name each duty on it, linked to its place on the page."""
    found = getattr(app.env, "toolkit_duties", {}).get(app.env.docname)
    facts = next(iter(doctree.findall(lambda n: isinstance(n, nodes.field_list)
                                      and "toolkit-page-facts" in n["classes"])), None)
    if not found or facts is None:
        return
    links = [nodes.reference(item.source, item.source, refid=item.anchor, internal=True) for item in found]
    field = nodes.field()
    field += nodes.field_name("Legal duties", "Legal duties")
    paragraph = nodes.paragraph()
    paragraph += joined(links, "; ")
    field += nodes.field_body("", paragraph)
    facts += field


def duty_groups(app: Sphinx) -> dict[str, list[tuple[Duty, str]]]:
    """Every duty of the site with its page's title, under each topic of the page it is on (a
    page's duty appears under each of its topics), topics in the vocabulary's order."""
    site = site_data()
    collected = sorted(getattr(app.env, "toolkit_duties", {}).items())
    duties = [(d, site.pages[d.docname]["title"])
              for docname_, found in collected for d in found if docname_ in site.pages]
    groups = {topic["label"]: [d for d in duties if topic["id"] in site.pages[d[0].docname]["topics"]]
              for topic in site.vocabulary("topics")}
    groups[OTHER_TOPIC] = [d for d in duties if not site.pages[d[0].docname]["topics"]]
    return groups


def fill_duty_list(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    places = list(doctree.findall(duty_list))
    if not places:
        return
    groups = duty_groups(app)
    content: list[nodes.Node] = []
    if not any(groups.values()):
        content.append(nodes.paragraph("", "No page marks a legal duty yet."))
    for title, found in groups.items():
        if not found:
            continue
        section = nodes.section(ids=[nodes.make_id("duties-" + title)])
        section += nodes.title(title, title)
        items = nodes.bullet_list()
        for item, page_title in found:
            paragraph = nodes.paragraph()
            paragraph += nodes.strong(item.source, item.source)
            paragraph += nodes.Text(f": {item.text} (")
            link = page_link(app.builder, page_title, item.docname, docname)
            link["refuri"] += f"#{item.anchor}"
            paragraph += link
            paragraph += nodes.Text(")")
            items += nodes.list_item("", paragraph)
        section += items
        content.append(section)
    for place in places:
        place.replace_self(content)


def setup_duties(app: Sphinx) -> None:
    app.add_node(duty, html=(visit_duty, depart_duty))
    app.add_node(duty_list)
    app.add_directive("duty", DutyDirective)
    app.add_directive("duty-list", DutyListDirective)
    app.connect("env-purge-doc", purge_duties)
    app.connect("env-merge-info", merge_duties)
    app.connect("doctree-read", list_on_page_facts, priority=600)   # after the facts are added
    app.connect("doctree-resolved", fill_duty_list)
    app.connect("env-updated", write_when_changed(DUTIES_PAGE, duty_groups))
