"""The `{workload-calculator}` directive: a workload tariff as a table, and a calculator on the reader's device.

The tariff comes from data (`tariffs/<name>.yaml`, toolkit/content/tariffs.py), so an organisation that
replaces it in its overlay changes what the page shows and counts. Without JavaScript the page
is the tariff itself: each type of work with its points, and a full-time capacity. With it,
`workload.js` shows a number box on every row and the hours worked, and keeps a live total
against capacity. Nothing entered is saved or sent anywhere; printing keeps the figures.

A page is read again whenever the tariff it names changes (`env-get-outdated`).
"""

from __future__ import annotations

import hashlib
import json
from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from builder.safety import GENERATED_CLASS
from builder.sitedata import site_data
from toolkit.content.tariffs import DIRECTIVE, ITEM_TYPES

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

STORE = "toolkit_workload_tariffs"   # env attribute: docname -> fingerprint of the tariffs it shows


def _points(value: float) -> str:
    return f"{value:g}"


def _row(prefix: str, item: dict[str, Any]) -> str:
    name = f"{prefix}-{item['id']}"
    note = f' <span class="tk-wl-note">({escape(item["note"])})</span>' if item["note"] else ""
    return (f'<tr data-points="{item["points"]}"><th scope="row" id="{name}-label">{escape(item["label"])}{note}</th>'
            f'<td class="tk-wl-figure">{_points(item["points"])}</td>'
            f'<td class="tk-wl-js" hidden><label class="tk-wl-sr" for="{name}">How many: '
            f'{escape(item["label"])}</label><input type="number" id="{name}" class="tk-wl-count" min="0" step="1" '
            f'value="0" inputmode="numeric"></td>'
            f'<td class="tk-wl-js tk-wl-figure" hidden><output class="tk-wl-row-total" for="{name}">0</output>'
            "</td></tr>")


def calculator_html(tariff: dict[str, Any]) -> str:
    prefix = f"tk-wl-{tariff['id']}"
    tables = []
    for kind, heading in ITEM_TYPES.items():
        rows = "".join(_row(prefix, item) for item in tariff["items"] if item["type"] == kind)
        if rows:
            tables.append(
                f'<div class="tk-wl-scroll"><table class="tk-wl-table"><caption>{escape(tariff["title"])}: '
                f'{heading.lower()}</caption><thead><tr><th scope="col">Work</th>'
                f'<th scope="col" class="tk-wl-figure">Points</th>'
                f'<th scope="col" class="tk-wl-js" hidden>How many</th>'
                f'<th scope="col" class="tk-wl-js tk-wl-figure" hidden>Total</th></tr></thead>'
                f"<tbody>{rows}</tbody></table></div>")
    capacity = tariff["capacity"]
    return (f'<div class="tk-wl" id="{prefix}" data-capacity="{capacity}">'
            f'<p class="tk-wl-js tk-wl-privacy" hidden>Enter how many of each type of work you hold. The total '
            f"is worked out on this page: nothing you enter is saved or sent anywhere, and it is gone when you "
            f"leave the page. Print the page to keep a copy for supervision.</p>"
            f'<p class="tk-wl-js" hidden><label for="{prefix}-hours">Your hours, as a percentage of full time'
            f'</label> <input type="number" id="{prefix}-hours" class="tk-wl-hours" min="1" max="100" step="1" '
            f'value="100" inputmode="numeric"></p>'
            + "".join(tables)
            + f'<p class="tk-wl-capacity">A full-time worker\'s capacity: <strong>{_points(capacity)} points'
            f"</strong>.</p>"
            f'<p class="tk-wl-js tk-wl-total" role="status" aria-live="polite" hidden></p>'
            f'<p class="tk-wl-js tk-wl-buttons" hidden><button type="button" class="tk-wl-clear">Clear the figures'
            f"</button></p></div>")


def _fingerprint(tariff: dict[str, Any] | None) -> str:
    return hashlib.sha256(json.dumps(tariff, sort_keys=True).encode()).hexdigest()[:16]


def _tariffs() -> dict[str, dict[str, Any]]:
    return site_data().raw.get("tariffs", {})


def _store(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    if not hasattr(env, STORE):
        setattr(env, STORE, {})
    return getattr(env, STORE)


class WorkloadCalculator(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        tariff_id = self.arguments[0]
        tariff = _tariffs().get(tariff_id)
        _store(self.env).setdefault(self.env.docname, {})[tariff_id] = _fingerprint(tariff)
        if tariff is None:   # refused by `toolkit check` before any build
            return []
        return [nodes.raw("", calculator_html(tariff), format="html", classes=[GENERATED_CLASS])]


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    tariffs = _tariffs()
    return [docname for docname, shown in _store(env).items()
            if any(_fingerprint(tariffs.get(t)) != f for t, f in shown.items())]


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _store(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    _store(env).update({d: f for d, f in _store(other).items() if d in docnames})


def add_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The script and styles only on pages with a calculator."""
    if pagename in _store(app.env):
        app.add_css_file("workload.css")
        app.add_js_file("workload.js", loading_method="defer")


def setup_workload(app: Sphinx) -> None:
    app.add_directive(DIRECTIVE, WorkloadCalculator)
    app.connect("env-get-outdated", outdated)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("html-page-context", add_assets)
