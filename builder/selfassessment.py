"""Self-assessment pages rendered as an accessible form that works on the reader's device only.

The questions come from the page's validated front matter (the manifest), not from the
Markdown body. The form is plain HTML: one fieldset per question, one radio button per
scale label, an optional reflection box. Without JavaScript it is a readable questionnaire
with a note; `selfassessment.js` adds saving in local storage, results, the development
plan, dated rounds, CSV downloads and 360 feedback (the same page opened with `?rater=CODE`
is a form for a colleague, whose response file the person loads back), and never makes a
network request.

The "what to read next" lists come from every listed page mapped to a question's statement,
so the form is re-read whenever that data changes (`env-get-outdated`).
"""

from __future__ import annotations

import hashlib
import re
from html import escape, unescape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

from builder.safety import GENERATED_CLASS
from builder.sitedata import SiteData, site_data
from toolkit.content.selfassessment import scale_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

KIND = "self-assessment"
HEADING = re.compile(r'<h2 id="([^"]+)">([^<]+)</h2>')
HIDDEN_SECTION = re.compile(r'<section class="[^"]*" aria-labelledby="([^"]+)" hidden>')
TOC_SCRIPTED = "tk-sa-toc-scripted"   # a contents entry for a section only the script shows
STORE = "toolkit_selfassessment_forms"   # env attribute: docname -> fingerprint of its form
PRIVACY_PAGE = "privacy"


def _attrs(**values: str) -> str:
    return "".join(f' {name.replace("_", "-")}="{escape(value)}"' for name, value in values.items())


def _statement_link(statement_id: str, site: SiteData, prefix: str) -> str:
    statement = site.statements.get(statement_id, {})
    title = f"{statement_id} {statement.get('title', '')}".strip()
    return f'<a href="{escape(prefix)}statements/{escape(statement_id)}.html">{escape(title)}</a>'


def _question(number: int, question: dict[str, Any], scale: tuple[str, ...], site: SiteData,
              prefix: str) -> str:
    question_id, statement_id = question["id"], question["maps_to"]
    statement = site.statements.get(statement_id, {})
    statement_set = site.sets.get(statement.get("set", ""), {})
    name = f"tk-sa-{question_id}"
    choices = "".join(
        f'<label class="tk-sa-choice"><input type="radio"{_attrs(name=name, value=str(value))}> '
        f"{escape(label)}</label>" for value, label in enumerate(scale, start=1))
    reflection = ""
    if question.get("reflection"):
        reflection = (f'<label class="tk-sa-note-label" for="{escape(name)}-note">Your reflection (optional)</label>'
                      f'<textarea class="tk-sa-note" rows="3"{_attrs(id=name + "-note")}></textarea>')
    return ('<fieldset class="tk-sa-question"' + _attrs(
                id=name, data_question=question_id, data_statement=statement_id,
                data_statement_title=statement.get("title", statement_id),
                data_set=statement_set.get("id", ""), data_set_title=statement_set.get("title", "")) + ">"
            f'<legend><span class="tk-sa-number">{number}.</span> {escape(" ".join(question["text"].split()))}'
            f"</legend>"
            f'<p class="tk-sa-maps">Statement: {_statement_link(statement_id, site, prefix)}</p>'
            f'<div class="tk-sa-scale">{choices}</div>{reflection}</fieldset>')


def reading_for(statement_id: str, site: SiteData) -> list[dict[str, Any]]:
    """Listed toolkit pages mapped to a statement (self-assessments themselves left out)."""
    return [p for p in site.listed_where("maps_to", statement_id) if p["kind"] != KIND]


def _reading_source(statements: list[str], site: SiteData, prefix: str) -> str:
    """Per statement, the pages to read next; hidden, copied into the results by the script."""
    parts = []
    for statement_id in statements:
        pages = reading_for(statement_id, site)
        items = "".join(f'<li><a href="{escape(prefix + p["id"])}.html">{escape(p["title"])}</a></li>'
                        for p in pages)
        listing = f"<ul>{items}</ul>" if items else \
            "<p>No toolkit page is mapped to this statement yet; its statement page explains it.</p>"
        parts.append(f'<div class="tk-sa-reading-item"{_attrs(data_statement=statement_id)}>'
                     f"<p>{_statement_link(statement_id, site, prefix)}</p>{listing}</div>")
    return f'<div class="tk-sa-reading-source" hidden>{"".join(parts)}</div>'


def form_html(page: dict[str, Any], site: SiteData, docname: str) -> str:
    """The whole self-assessment: notices, questions, and the (hidden until scripted) tools."""
    prefix = "../" * docname.count("/")
    scale = scale_of(page["extras"])
    questions = page["extras"].get("questions") or []
    statements = list(dict.fromkeys(q["maps_to"] for q in questions))
    privacy = (f' <a href="{escape(prefix)}{PRIVACY_PAGE}.html">How your data is kept</a>.'
               if PRIVACY_PAGE in site.pages else "")
    organisation = site.settings["organisation"] or "the organisation"
    scale_items = "".join(f"<li>{escape(label)}</li>" for label in scale)
    body = "".join(_question(n, q, scale, site, prefix) for n, q in enumerate(questions, start=1))
    return f"""<div class="tk-sa"{_attrs(data_assessment=page["id"], data_title=page["title"],
                                       data_scale=str(len(scale)))}>
<p class="tk-sa-nojs">This page needs JavaScript to save your answers and show your results.
You can still read the questions below, rate yourself on paper or print the page.</p>
<div class="tk-sa-privacy" hidden>
<p><strong>Your answers stay on this device.</strong> They are saved in this browser only, as you
go, so you can come back later. Nothing is sent to {escape(organisation)} or anyone else.{privacy}</p>
<p class="tk-sa-status" role="status"></p>
<p><button type="button" class="tk-sa-delete">Delete my answers</button></p>
</div>
{_RATER_INTRO}
<h2 id="tk-sa-questions-heading">Questions</h2>
<p class="tk-sa-self-only">Rate yourself on each question, from 1 (lowest) to {len(scale)}:</p>
<p class="tk-sa-rater-only" hidden>Rate your colleague on each question, from 1 (lowest) to {len(scale)}.
Read each “I” as your colleague:</p>
<ul class="tk-sa-scale-key">{scale_items}</ul>
<div class="tk-sa-questions">{body}</div>
<section class="tk-sa-results" aria-labelledby="tk-sa-results-heading" hidden>
<h2 id="tk-sa-results-heading">Your results</h2>
<p class="tk-sa-results-empty">Answer at least one question to see your results here.</p>
<div class="tk-sa-results-body"></div>
</section>
<section class="tk-sa-plan" aria-labelledby="tk-sa-plan-heading" hidden>
<h2 id="tk-sa-plan-heading">My development plan</h2>
<p class="tk-sa-print-only tk-sa-plan-for"></p>
<p class="tk-sa-no-print">Start from your lowest ratings, then make the plan your own. Take it to supervision:
print it or download it as a spreadsheet (CSV).</p>
<p class="tk-sa-no-print tk-sa-buttons">
<button type="button" class="tk-sa-plan-fill">Add my lowest-rated statements</button>
<button type="button" class="tk-sa-plan-add">Add a blank goal</button></p>
<ol class="tk-sa-plan-items"></ol>
<p class="tk-sa-plan-empty">Your plan has no goals yet.</p>
<p class="tk-sa-no-print tk-sa-buttons"><button type="button" class="tk-sa-plan-print">Print my plan</button>
<button type="button" class="tk-sa-plan-csv">Download my plan (CSV)</button></p>
</section>
<section class="tk-sa-rounds" aria-labelledby="tk-sa-rounds-heading" hidden>
<h2 id="tk-sa-rounds-heading">Before and after</h2>
<p>Save your answers as a dated round, for example before a course and again six months later,
to see how each rating has changed.</p>
<p class="tk-sa-buttons"><label for="tk-sa-round-date">Date of this round</label>
<input type="date" id="tk-sa-round-date" class="tk-sa-round-date">
<button type="button" class="tk-sa-round-save">Save my answers as a round</button></p>
<div class="tk-sa-rounds-body"></div>
</section>
<section class="tk-sa-export" aria-labelledby="tk-sa-export-heading" hidden>
<h2 id="tk-sa-export-heading">Share your ratings anonymously</h2>
<p>If a programme lead is measuring change across a group, download your ratings and send them
the file. Use the code they give you, or make one up: never your name.</p>
<p><label for="tk-sa-respondent">Your anonymous code</label>
<input type="text" id="tk-sa-respondent" class="tk-sa-respondent" autocomplete="off" spellcheck="false"
aria-describedby="tk-sa-respondent-hint" maxlength="40">
<span id="tk-sa-respondent-hint" class="tk-sa-hint">Letters, digits and hyphens, for example
GROUP2-07.</span></p>
<p><label for="tk-sa-export-round">Which answers</label>
<select id="tk-sa-export-round" class="tk-sa-export-round"><option value="">My current answers</option></select></p>
<p class="tk-sa-export-message" role="alert"></p>
<p><button type="button" class="tk-sa-export-csv">Download my ratings (CSV)</button></p>
</section>
{_ASK_OTHERS}
{_RATER_SEND}
{_reading_source(statements, site, prefix)}
</div>"""


_RATER_INTRO = """<section class="tk-sa-rater" aria-labelledby="tk-sa-rater-heading" hidden>
<h2 id="tk-sa-rater-heading">Feedback for a colleague</h2>
<p><strong>A colleague has asked for your view.</strong> Their own answers are not on this page. Yours stay
in this browser until you download them as a small file (or copy them as a code) and send it to your
colleague yourself. Nothing is sent anywhere by this page, and your name is not in the file.</p>
<fieldset class="tk-sa-rater-group"><legend>How do you work with them?</legend>
<label class="tk-sa-choice"><input type="radio" name="tk-sa-rater-group" value="manager"> I am their manager</label>
<label class="tk-sa-choice"><input type="radio" name="tk-sa-rater-group" value="peer"> I am a peer or colleague</label>
<label class="tk-sa-choice"><input type="radio" name="tk-sa-rater-group" value="supervisee"> They supervise or
manage me</label>
</fieldset>
</section>"""

_RATER_SEND = """<section class="tk-sa-rater-send" aria-labelledby="tk-sa-rater-send-heading" hidden>
<h2 id="tk-sa-rater-send-heading">Send your feedback</h2>
<p>Answer every question, then download your response and send the file to your colleague (by email
or Teams, for example). Or copy it as a code and paste that into a message.</p>
<p class="tk-sa-rater-message" role="alert"></p>
<p class="tk-sa-buttons"><button type="button" class="tk-sa-rater-download">Download my response</button>
<button type="button" class="tk-sa-rater-copy">Show my response as a code</button></p>
<p class="tk-sa-rater-code-wrap" hidden><label for="tk-sa-rater-code">Your response as a code (select it all
and copy it)</label>
<textarea id="tk-sa-rater-code" class="tk-sa-rater-code" rows="3" readonly></textarea></p>
</section>"""

_ASK_OTHERS = """<section class="tk-sa-ask" aria-labelledby="tk-sa-ask-heading" hidden>
<h2 id="tk-sa-ask-heading">Ask others for feedback (360)</h2>
<p>See how your manager, peers and the people you supervise rate you on the same questions, beside
your own ratings. Nothing goes through a server: you send the link, each person answers in their
own browser and sends you back a small response file, and you load the files here. Your own answers
are not in the link.</p>
<p><label for="tk-sa-ask-link">Link to send to the people you ask</label>
<input type="text" id="tk-sa-ask-link" class="tk-sa-ask-link" readonly>
<button type="button" class="tk-sa-ask-copy">Copy the link</button></p>
<p>Ask at least three people. Groups of fewer than three are combined, so no one’s answers can be
picked out.</p>
<h3>Load the responses you receive</h3>
<p><label for="tk-sa-ask-files">Response files (you can choose several)</label>
<input type="file" id="tk-sa-ask-files" class="tk-sa-ask-files" accept=".json,application/json" multiple></p>
<p><label for="tk-sa-ask-paste">Or paste a response code</label>
<textarea id="tk-sa-ask-paste" class="tk-sa-ask-paste" rows="2" spellcheck="false"></textarea>
<button type="button" class="tk-sa-ask-add">Add the code</button></p>
<div class="tk-sa-ask-messages" role="status"></div>
<div class="tk-sa-ask-body"></div>
</section>"""


def _fingerprint(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()[:16]


def _store(env: BuildEnvironment) -> dict[str, str]:
    if not hasattr(env, STORE):
        setattr(env, STORE, {})
    return getattr(env, STORE)


def add_form(app: Sphinx, doctree: nodes.document) -> None:
    """Append the form to the page's first section, before the related pages and history."""
    docname = app.env.docname
    site = site_data()
    page = site.pages.get(docname)
    if page is None or page["kind"] != KIND:
        return
    html = form_html(page, site, docname)
    _store(app.env)[docname] = _fingerprint(html)
    section = next(iter(doctree.findall(nodes.section)), None)
    (section if section is not None else doctree).append(
        nodes.raw("", html, format="html", classes=[GENERATED_CLASS]))


def add_form_contents(app: Sphinx, doctree: nodes.document) -> None:
    """List the form's sections (Questions, Your results, the plan...) in "On this page".

    The form is raw HTML, which Sphinx's contents collector cannot see, so its headings are
    added to the page's contents where the form sits: after the page's own sections. Entries
    for sections the script reveals carry a class that hides them until it does."""
    docname = app.env.docname
    toc = app.env.tocs.get(docname)
    form = next((n for n in doctree.findall(nodes.raw) if n.astext().startswith('<div class="tk-sa"')), None)
    if toc is None or form is None or not isinstance(form.parent, nodes.section):
        return
    html = form.astext()
    hidden = set(HIDDEN_SECTION.findall(html))
    top = next(iter(toc.findall(nodes.list_item)), None)
    if top is None:
        return
    entries = next((c for c in top.children if isinstance(c, nodes.bullet_list)), None)
    if entries is None:
        entries = nodes.bullet_list()
        top += entries
    position = sum(1 for n in form.parent.children[:form.parent.index(form)] if isinstance(n, nodes.section))
    for offset, (anchor, title) in enumerate(HEADING.findall(html)):
        reference = nodes.reference("", unescape(title), internal=True, refuri=docname,
                                    anchorname=f"#{anchor}")
        item = nodes.list_item("", addnodes.compact_paragraph("", "", reference),
                               classes=[TOC_SCRIPTED] if anchor in hidden else [])
        entries.insert(position + offset, item)


def outdated_forms(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                   removed: set[str]) -> list[str]:
    """Self-assessments whose form would change (a page now maps to one of their statements...)."""
    site = site_data()
    stored = _store(env)
    return [docname for docname, page in site.pages.items()
            if page["kind"] == KIND and docname in stored
            and stored[docname] != _fingerprint(form_html(page, site, docname))]


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _store(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    _store(env).update({d: f for d, f in _store(other).items() if d in docnames})


def add_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The script and styles only on self-assessment pages, so other pages stay light."""
    page = site_data().pages.get(pagename)
    if page is not None and page["kind"] == KIND:
        app.add_css_file("selfassessment.css")
        app.add_js_file("selfassessment.js", loading_method="defer")


def setup_selfassessment(app: Sphinx) -> None:
    # Before pageinfo (500) appends related pages and history, after safety (100) cleans raw nodes.
    app.connect("doctree-read", add_form, priority=450)
    app.connect("doctree-read", add_form_contents, priority=900)   # after Sphinx collects the contents
    app.connect("env-get-outdated", outdated_forms)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("html-page-context", add_assets)
