"""`{site-contacts}`: the organisation's name and contacts from its settings, so shipped pages
(the accessibility statement, the privacy notice) name the right people on every site."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from builder.sitedata import site_data

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _mail(address: str) -> nodes.reference:
    return nodes.reference(address, address, refuri=f"mailto:{address}")


class SiteContacts(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        settings = site_data().settings
        items = nodes.bullet_list(classes=["toolkit-contacts"])
        rows: list[tuple[str, nodes.Node]] = [("Organisation: ", nodes.Text(settings["organisation"]))]
        if settings.get("contact_email"):
            rows.append(("Questions about this toolkit: ", _mail(settings["contact_email"])))
        if settings.get("accessibility_email"):
            rows.append(("Accessibility problems: ", _mail(settings["accessibility_email"])))
        if settings.get("contact_phone"):
            rows.append(("Telephone: ", nodes.Text(settings["contact_phone"])))
        for label, value in rows:
            paragraph = nodes.paragraph()
            paragraph += nodes.strong(label, label)
            paragraph += value
            items += nodes.list_item("", paragraph)
        return [items]


def setup_contacts(app: Sphinx) -> None:
    app.add_directive("site-contacts", SiteContacts)
