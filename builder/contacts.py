"""`{site-contacts}`: the organisation's name and contacts from its settings, so shipped pages
(the accessibility statement, the privacy notice) name the right people on every site; and
the `{site}` role, which writes one setting inline: {site}`name`, {site}`organisation`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from builder.sitedata import site_data
from toolkit.content.schemas import SITE_VALUES

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


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


class SiteValue(SphinxRole):
    """`{site}`organisation`` -> the organisation named in the settings, e.g. in a heading."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        key = self.text.strip()
        if key not in SITE_VALUES:
            logger.warning(f"{{site}} role: unknown setting '{key}' (use one of: {', '.join(SITE_VALUES)})",
                           location=self.get_location(), type="toolkit", subtype="site-role")
            return [nodes.Text(self.text)], []
        return [nodes.Text(str(site_data().settings[key]))], []


def setup_contacts(app: Sphinx) -> None:
    app.add_directive("site-contacts", SiteContacts)
    app.add_role("site", SiteValue())
