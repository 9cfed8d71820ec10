"""What may be published: one allow-list of the file types an author can have shown or
downloaded, and the scan of markup (HTML, SVG, XML, CSS) that finds anything active in it.

The same scan serves `toolkit check` (an author's SVG image or download, with file and line)
and `toolkit build`, which scans every file it is about to publish (toolkit.site.output_scan): a
page can be safe only if no script, frame, event handler, redirect or request to another
host is in any file of the site, whatever put it there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from toolkit.content.urls import is_dangerous_url, is_remote_url, normalise_url

#: Images an author can show on a page (`![](…)`, `{image}`, `{figure}`, cards). SVG is scanned.
IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"})
#: Files an author can offer for download (`{download}`, `templates:`): documents, data and images.
#: Never HTML, XHTML, scripts or programs: a browser would run them from the site's own address.
DOWNLOAD_TYPES = IMAGE_TYPES | frozenset({
    ".pdf", ".docx", ".doc", ".dotx", ".xlsx", ".xls", ".pptx", ".ppt", ".odt", ".ods", ".odp",
    ".rtf", ".txt", ".csv", ".md", ".yaml", ".yml", ".json",
})  # fmt: skip
#: Files read as markup or style sheets, scanned for anything active.
MARKUP_TYPES = frozenset({".html", ".htm", ".xhtml", ".xht", ".svg", ".xml", ".mathml", ".mml"})
STYLE_TYPES = frozenset({".css"})

_REFUSED_ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet",
                               "portal", "base", "foreignobject", "handler", "listener"})
# Attributes holding an address (HTML and SVG); animation values can set one too.
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "data", "background",
                             "cite", "longdesc", "manifest", "codebase", "archive", "xlink:href",
                             "srcset", "imagesrcset", "to", "from", "values", "by", "ping"})
# Attributes whose address the browser fetches by itself, without the reader asking.
_FETCHED_ATTRIBUTES = frozenset({"src", "poster", "data", "background", "manifest", "codebase",
                                 "archive", "srcset", "imagesrcset", "ping", "formaction", "action"})
# <link rel=…> values that only name an address (no request is made for them).
_NAMING_RELS = frozenset({"canonical", "alternate", "author", "help", "license", "next", "prev",
                          "search", "index", "up", "me", "bookmark"})
_CSS_URL = re.compile(r"(?i)url\(\s*(['\"]?)(.*?)\1\s*\)|@import\s+(['\"])(.*?)\3")
_REFRESH_TARGET = re.compile(r"(?i)url\s*=\s*['\"]?([^'\"]*)")
_CSS_ACTIVE = re.compile(r"(?i)expression\s*\(|(?<![-\w])behavior\s*:|-moz-binding|javascript:")


def type_problem(path: str, kind: str) -> str | None:
    """Why a file may not be published as an image or download, or None when it may."""
    suffix = Path(path).suffix.lower()
    allowed = IMAGE_TYPES if kind == "image" else DOWNLOAD_TYPES
    if suffix in allowed:
        return None
    shown = suffix or "files without an extension"
    what = "an image" if kind == "image" else "a download"
    return (f"{shown} files cannot be published as {what} (pages, scripts and programs would run from the "
            f"site's own address); allowed: {', '.join(sorted(allowed))}")


def active_content(text: str, own_script: Callable[[str], bool] | None = None,
                   refresh_allowed: bool = False) -> list[tuple[int, str]]:
    """(line, what) for everything active in HTML, SVG or XML: script, frames and embedded
    objects, event handlers, script/data URLs, redirects, and requests to another host.
    `own_script(src)` says whether a `<script src>` is one of the toolkit's own files;
    `refresh_allowed` lets the toolkit's redirect pages keep their local `meta refresh`."""
    scanner = _ActiveMarkup(text, own_script, refresh_allowed)
    scanner.scan(0, len(text))
    return sorted(scanner.found)


def active_style(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(line, what) for style sheet text that runs script or fetches from another address
    (CSS escapes decoded first: `\\75 rl(` is `url(`)."""
    text = _CSS_ESCAPE.sub(_css_unescaped, text)
    found = []
    for match in _CSS_ACTIVE.finditer(text):
        found.append((first_line + text.count("\n", 0, match.start()), f"style with {match.group(0)!r}"))
    for match in _CSS_URL.finditer(text):
        url = match.group(2) if match.group(2) is not None else match.group(4)
        if is_dangerous_url(url) or is_remote_url(url) or normalise_url(url).startswith("//"):
            found.append((first_line + text.count("\n", 0, match.start()),
                          f"style that loads {_short(url)} (only files of the site may be loaded)"))
    return found


# Tags as a browser's tokenizer reads them (possessive, so hostile text cannot make it backtrack):
# a name, then attributes, each a name and an optional value, quoted only when a quote follows `=`.
_ATTRIBUTES = r"(?>[\s/]*+[^\s/>][^\s/>=]*+(?>\s*+=\s*+(?>\"[^\"]*+\"|'[^']*+'|[^\s>]*+))?)*+"
_TOKEN = re.compile(rf"(?P<opener><!--|<!\[CDATA\[)|<[!?/][^>]*+>?"
                    rf"|<(?P<name>[a-zA-Z][^\s/>]*+)(?P<attributes>{_ATTRIBUTES})[\s/]*+>")
_ATTRIBUTE = re.compile(r"""([^\s/>][^\s/>=]*+)(?:\s*+=\s*+("[^"]*+"|'[^']*+'|[^\s>]*+))?""")
# Elements whose content a browser reads as text, and the ends of comments and the like.
_TEXT_ELEMENTS = frozenset({"script", "style", "title", "textarea", "xmp", "iframe", "noembed",
                            "noframes", "noscript", "plaintext"})
_CLOSERS = {"<!--": "-->", "<![CDATA[": "]]>"}
# Nothing in a tag without one of these can be active (most of a page's tags): a shortcut.
_MAYBE_ACTIVE = re.compile(r"(?i)^<(?:script|iframe|frame|frameset|object|embed|applet|portal|base"
                           r"|foreignobject|handler|listener|meta|link|style)\b|[\s\"'/]on|[:&%\\]|/\s*/|style")


# Tags found to carry nothing, by their whole text. The verdict on a tag that does not open an
# element read as text (script, style, title…) depends on its text alone and on whether a redirect
# is allowed; a 1,000-page site's 900,000 tags are 11,000 different ones (the theme's, on every
# page), so each is read once per process. Bounded, against hostile pages.
_QUIET_TAGS: dict[bool, set[str]] = {False: set(), True: set()}
_QUIET_MAX_TAGS = 50_000
_QUIET_MAX_LENGTH = 500


def _remember(quiet: set[str], tag: str) -> None:
    if len(tag) <= _QUIET_MAX_LENGTH and len(quiet) < _QUIET_MAX_TAGS:
        quiet.add(tag)


class _ActiveMarkup:
    """The scan behind `active_content`. Where a browser could read the same characters two ways
    (the text of a <title> or a comment as text, or, inside SVG, as markup), both are scanned."""

    def __init__(self, text: str, own_script: Callable[[str], bool] | None, refresh_allowed: bool) -> None:
        self.text = text
        self.lower = text.lower()
        self.own_script = own_script
        self.refresh_allowed = refresh_allowed
        self.found: list[tuple[int, str]] = []
        self.at = 0
        self.quiet = _QUIET_TAGS[refresh_allowed]

    def _add(self, what: str) -> None:
        self.found.append((self.text.count("\n", 0, self.at) + 1, what))

    def scan(self, start: int, end: int) -> None:
        position = start
        while position < end:
            position = self._tags_from(position, end)

    def _tags_from(self, position: int, end: int) -> int:
        """Scan tags from `position` until a comment or an element read as text, which it handles;
        return where to go on."""
        quiet = self.quiet
        for token in _TOKEN.finditer(self.text, position, end):
            text = token.group(0)
            if text in quiet:
                continue
            name = token.group("name")
            if name is None:
                if token.group("opener") is None:
                    _remember(quiet, text)
                    continue                     # an end tag or a doctype: nothing in it is read
                closer = _CLOSERS[token.group("opener")]
                stop = self.text.find(closer, token.end(), end)
                stop = end if stop < 0 else stop
                self.scan(token.end(), stop)     # the same characters, read as markup
                return stop + len(closer)
            name = name.lower()
            found = len(self.found)
            if _MAYBE_ACTIVE.search(text):
                self.at = token.start()
                self._tag(name, token.group("attributes"))
            if name in _TEXT_ELEMENTS:
                stop = self.lower.find(f"</{name}", token.end(), end)
                stop = end if stop < 0 else stop
                self._element_text(name, token.end(), stop)
                return stop
            if len(self.found) == found:
                _remember(quiet, text)
        return end

    def _element_text(self, name: str, start: int, stop: int) -> None:
        content = self.text[start:stop]
        if name == "style":
            first_line = self.text.count("\n", 0, start) + 1
            self.found += active_style(content, first_line)
        elif name == "script" and content.strip():
            self._add("script written into the page")
        self.scan(start, stop)

    def _tag(self, tag: str, attribute_text: str) -> None:
        attrs = [(m.group(1).lower(), html.unescape(_unquoted(m.group(2) or "")))
                 for m in _ATTRIBUTE.finditer(attribute_text)]
        values = dict(reversed(attrs))   # the first of a repeated attribute counts, as in a browser
        if tag == "script" and self.own_script is not None and self.own_script(values.get("src", "")):
            attrs = [(name, value) for name, value in attrs if name != "src"]
        elif tag in _REFUSED_ELEMENTS:
            self._add(f"<{tag}> element" + (f" loading {_short(values['src'])}" if values.get("src") else ""))
        if tag == "meta" and "http-equiv" in values:
            self._meta(values["http-equiv"].strip().lower(), values.get("content", ""))
        for name, value in attrs:
            self._attribute(tag, name, value, values)

    def _meta(self, equiv: str, content: str) -> None:
        if equiv == "content-security-policy":
            return
        match = _REFRESH_TARGET.search(content)
        target = match.group(1).strip() if match else ""
        if equiv == "refresh" and self.refresh_allowed and target and not is_remote_url(target) \
                and not is_dangerous_url(target):
            return
        self._add(f"<meta http-equiv={equiv!r}> (a redirect or a change to how the page is read)")

    def _attribute(self, tag: str, name: str, value: str, values: dict[str, str]) -> None:
        if name.startswith("on"):
            self._add(f"event-handler attribute {name!r} on <{tag}>")
        elif name == "attributename" and value.strip().lower().startswith("on"):
            self._add(f"<{tag}> that sets the event handler {value.strip()!r}")
        elif name == "style":
            line = self.text.count("\n", 0, self.at) + 1
            self.found += [(line, what) for _, what in active_style(value)]
        elif name in _URL_ATTRIBUTES:
            for url in _addresses(name, value):
                if is_dangerous_url(url):
                    self._add(f"{name}={_short(url)} on <{tag}> (a script or data address)")
                elif is_remote_url(url) and _fetched(tag, name, values):
                    self._add(f"{name}={_short(url)} on <{tag}> loads from another host")


_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|([^\n0-9a-fA-F]))")


def _css_unescaped(match: re.Match[str]) -> str:
    if match.group(2) is not None:
        return match.group(2)
    code = int(match.group(1), 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _unquoted(value: str) -> str:
    return value[1:-1] if value[:1] in ("'", '"') else value


def _addresses(name: str, value: str) -> list[str]:
    if name in ("srcset", "imagesrcset"):
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    if name == "values":
        return value.split(";")
    return [value]


def _fetched(tag: str, name: str, values: dict[str, str]) -> bool:
    """Whether the browser requests this address by itself (a link the reader follows is fine)."""
    if name in _FETCHED_ATTRIBUTES:
        return True
    if tag == "link":
        return not set(values.get("rel", "").lower().split()) <= _NAMING_RELS
    # In SVG, <use>, <image>, <feImage> and animations fetch what `href` names; only <a> is followed.
    return name in ("href", "xlink:href", "to", "from", "values", "by") and tag not in ("a", "area")


def _short(url: str, limit: int = 60) -> str:
    flat = " ".join(url.split())
    return repr(flat[:limit] + "…" if len(flat) > limit else flat)
