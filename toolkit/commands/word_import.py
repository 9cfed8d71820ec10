"""`toolkit import FILE.docx`: a council's existing Word guidance as a draft page, so nobody retypes it.

mammoth (made for this: it maps Word's meaning, headings, lists, tables, links, emphasis,
footnotes, images with their alt text, to clean HTML and ignores Word's formatting) converts the
document; markdownify turns that HTML into Markdown that MyST reads. What neither carries over
(comments, tracked changes, text boxes, charts, equations, headers and footers) is found in the
document's own XML and reported, never dropped silently. The page then goes through every check.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import mammoth
from bs4 import BeautifulSoup, Tag
from markdownify import markdownify

from toolkit.commands.common import EXIT_ERRORS, EXIT_OK, UsageError, load, print_problems, today
from toolkit.commands.scaffold import (
    PLACEHOLDER_SUMMARY,
    check_new_id,
    first_entries,
    front_matter,
    review_due,
    slug,
    target_root,
    write_new_file,
)
from toolkit.content.schemas import KINDS, SUMMARY_MAX
from toolkit.content.settings import shown_path
from toolkit.core.limits import UnzippedTooBig, read_zip_parts

# Image types a browser shows; Word's own EMF/WMF drawings are not among them.
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp",
               "image/svg+xml": "svg"}
# (pattern in the document's XML, what it is, what happened to it)
NOT_CONVERTED = (
    (r"<w:txbxContent\b", "text box", "check its text is in the page"),
    (r"<c:chart\b", "chart", "not imported: describe it in words or add it as an image with alt text"),
    (r"<dgm:relIds\b", "SmartArt diagram", "not imported: write it as a list or add it as an image"),
    (r"<m:oMath\b", "equation", "not imported: write it out in words"),
    (r"<w:object\b", "embedded object", "not imported: attach the file with the download role instead"),
)
_CORE_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_IMAGE_PLACEHOLDER = "toolkit-image-"
# Word's own Title and Subtitle styles, which mammoth leaves as plain paragraphs by default.
STYLE_MAP = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => p.subtitle:fresh"


@dataclass
class Converted:
    """A Word document as a page: its title, summary and body, the images it holds, and what
    could not be brought across, in plain words."""

    title: str
    summary: str
    body: str
    images: list[tuple[str, bytes]] = field(default_factory=list)   # (file name, content)
    not_converted: list[str] = field(default_factory=list)


def convert_docx(path: Path, image_prefix: Callable[[str], str]) -> Converted:
    """Convert one .docx; its images are named `<image_prefix(title)>-<n>.<ext>`, after the page
    they belong to. Raises ValueError with a plain-words reason when the file is not a Word
    document that can be read."""
    try:
        parts = {name: data.decode("utf-8", "replace") for name, data in read_zip_parts(
            path, lambda name: name.startswith(("word/", "docProps/core")) and name.endswith(".xml")).items()}
    except UnzippedTooBig as exc:
        raise ValueError(f"{path.name}: {exc}; save it again without what it does not need, or split it") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"{path.name} is not a Word document that can be read ({exc}); "
                         "open it in Word and save it again as .docx") from None
    if "word/document.xml" not in parts:
        raise ValueError(f"{path.name} has no document text; open it in Word and save it again as .docx")
    found: list[tuple[str, bytes, bool]] = []   # (extension, content, has alt text), named once the title is known
    notes: list[str] = []

    def keep_image(image: mammoth.documents.Image) -> dict[str, str]:
        extension = IMAGE_TYPES.get(image.content_type or "")
        if extension is None:
            notes.append(f"an image ({image.content_type}) is a type browsers cannot show: "
                         "save it from Word as PNG and add it to the page")
            return {"src": ""}
        with image.open() as data:
            found.append((extension, data.read(), bool((image.alt_text or "").strip())))
        return {"src": f"{_IMAGE_PLACEHOLDER}{len(found)}"}

    with path.open("rb") as handle:
        result = mammoth.convert_to_html(handle, convert_image=mammoth.images.img_element(keep_image),
                                         style_map=STYLE_MAP)
    soup = BeautifulSoup(result.value, "html.parser")
    for img in soup.find_all("img", src=""):
        img.decompose()
    title = _take_title(soup, parts.get("docProps/core.xml", "")) or path.stem.replace("_", " ")
    prefix = image_prefix(title)
    images = [(f"{prefix}-{n}.{extension}", content) for n, (extension, content, _) in enumerate(found, 1)]
    for img in soup.find_all("img", src=re.compile(f"^{_IMAGE_PLACEHOLDER}")):
        img["src"] = images[int(img["src"].removeprefix(_IMAGE_PLACEHOLDER)) - 1][0]
    notes += [f"image {name} has no alt text in Word: describe it in the page, ![what it shows]({name})"
              for (name, _), (_, _, has_alt) in zip(images, found, strict=True) if not has_alt]
    _below_the_title(soup)
    summary = _summary(soup)
    _move_footnotes(soup)
    body = _markdown(soup)
    notes += _style_notes(result.messages) + _unconverted_parts(parts)
    return Converted(title, summary, body, images, notes)


def _take_title(soup: BeautifulSoup, core: str) -> str:
    """The document's Title property, else its first heading (taken out of the body, which
    starts with the title as its heading)."""
    heading = soup.find(["h1", "h2", "h3", "h4", "h5", "h6"])
    try:
        found = ElementTree.fromstring(core).find(_CORE_TITLE) if core else None
    except ElementTree.ParseError:
        found = None
    title = " ".join((found.text or "").split()) if found is not None else ""
    if heading is not None and (not title or " ".join(heading.get_text().split()) == title):
        title = title or " ".join(heading.get_text().split())
        heading.decompose()
    return title


def _below_the_title(soup: BeautifulSoup) -> None:
    """The page's one level-1 heading is its title: headings of level 1 left in the body move one
    level down, with the levels under them, so the outline keeps its shape."""
    if soup.find("h1") is None:
        return
    for level in range(5, 0, -1):
        for heading in soup.find_all(f"h{level}"):
            heading.name = f"h{level + 1}"


def _summary(soup: BeautifulSoup) -> str:
    """The first paragraph of text, trimmed to the summary limit at a word."""
    for paragraph in soup.find_all("p"):
        if paragraph.find_parent(["table", "li", "ol", "ul"]):
            continue
        text = " ".join(paragraph.get_text().split())
        if text:
            if len(text) <= SUMMARY_MAX:
                return text
            return text[:SUMMARY_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return PLACEHOLDER_SUMMARY


def _move_footnotes(soup: BeautifulSoup) -> None:
    """Word footnotes and endnotes as MyST footnotes: `[^1]` in the text and `[^1]: ...` at the end.

    Markers are left as placeholder words for markdownify (which would escape the brackets) and
    put back in `_markdown`."""
    for link in soup.select('a[href^="#footnote-"], a[href^="#endnote-"]'):
        if link["href"].startswith(("#footnote-ref-", "#endnote-ref-")):
            continue   # the note's link back to the text: dropped with the note below
        marker = link.find_parent("sup") or link
        marker.replace_with(f"FOOTNOTE{link['href'][1:].replace('-', '')}REF")
    notes: list[str] = []
    for item in soup.select('li[id^="footnote-"], li[id^="endnote-"]'):
        for back in item.select('a[href^="#footnote-ref-"], a[href^="#endnote-ref-"]'):
            back.decompose()
        text = " ".join(markdownify(item.decode_contents(), heading_style="ATX").split())
        notes.append(f"FOOTNOTE{item['id'].replace('-', '')}REF: {text}")
        parent = item.parent
        item.decompose()
        if isinstance(parent, Tag) and not parent.find("li"):
            parent.decompose()
    if notes:
        soup.append(soup.new_string("\n\nFOOTNOTESECTION\n\n" + "\n\n".join(notes)))


def _markdown(soup: BeautifulSoup) -> str:
    text = markdownify(str(soup), heading_style="ATX", bullets="-", table_infer_header=True,
                       strong_em_symbol="*")
    text = text.replace("FOOTNOTESECTION", "")
    text = re.sub(r"FOOTNOTE(foot|end)note(\d+)REF", lambda m: f"[^{'end-' * (m[1] == 'end')}{m[2]}]", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _style_notes(messages: list[mammoth.results.Message]) -> list[str]:
    """mammoth's warnings that matter to an author, in plain words (styles merely missing from the
    document's style list do not)."""
    notes = []
    for message in messages:
        style = re.match(r"Unrecognised (paragraph|run) style: '?(.*?)'? \(Style ID", message.message)
        if style and "Comment" not in message.message:
            notes.append(f"Word style '{style[2]}' has no equivalent: its text was kept as ordinary "
                         f"{'paragraphs' if style[1] == 'paragraph' else 'text'}")
        elif not style and "referenced but not defined" not in message.message:
            notes.append(message.message)
    return notes


def _unconverted_parts(parts: dict[str, str]) -> list[str]:
    """Comments, tracked changes and content mammoth does not carry over, found in the XML."""
    document = parts["word/document.xml"]
    notes = []
    comments = len(re.findall(r"<w:comment\b", parts.get("word/comments.xml", "")))
    if comments:
        notes.append(f"{comments} comment{'s' * (comments != 1)} in Word not imported: read "
                     f"{'them' if comments != 1 else 'it'} in Word and act on {'them' if comments != 1 else 'it'} "
                     "in the page")
    inserted, deleted = len(re.findall(r"<w:ins\b", document)), len(re.findall(r"<w:del\b", document))
    if inserted or deleted:
        notes.append(f"tracked changes ({inserted} inserted, {deleted} deleted) were imported as if accepted: "
                     "check the page against Word's Review view")
    for pattern, what, done in NOT_CONVERTED:
        count = len(re.findall(pattern, document))
        if count:
            notes.append(f"{count} {what}{'s' * (count != 1)}: {done}")
    if any(re.search(r"<w:t\b", text) for name, text in parts.items()
           if re.match(r"word/(header|footer)\d*\.xml$", name)):
        notes.append("headers and footers not imported: the site shows its own")
    return notes


def import_word(args: argparse.Namespace) -> int:
    source = Path(args.file)
    if source.suffix.lower() != ".docx":
        raise UsageError(f"{source} is not a .docx file: open it in Word and save it as Word Document (.docx)")
    if not source.is_file():
        raise UsageError(f"{source} does not exist")
    if args.kind not in KINDS:
        raise UsageError(f"unknown kind '{args.kind}'; use one of: {', '.join(KINDS)}")
    site, problems = load(args)
    if site is None:
        print_problems(problems, "text", stream=sys.stderr)
        return EXIT_ERRORS
    root = target_root(args, site)
    try:
        converted = convert_docx(source, slug)
    except ValueError as exc:
        print(f"toolkit import: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    except Exception as exc:  # noqa: BLE001 - a damaged document must not end in a traceback
        print(f"toolkit import: {source.name} could not be converted ({type(exc).__name__}); open it in "
              "Word, save it again as .docx and try once more", file=sys.stderr)
        return EXIT_ERRORS
    page_id = slug(converted.title)
    check_new_id(site, page_id, root)
    on = today(args)
    text = (front_matter(args.kind, converted.title, page_id, on, review_due(on, site.settings), first_entries(site),
                         converted.summary)
            + f"# {converted.title}\n\n% Imported from {source.name}: check it against the original.\n\n"
            + converted.body)
    page_path = write_new_file(root / f"{page_id}.md", text)
    for name, data in converted.images:
        write_new_file(root / name, data)
    written = [page_path] + [root / name for name, _ in converted.images]
    print(f"toolkit import: wrote {page_path} (status: draft)"
          + (f" and {len(converted.images)} image{'s' * (len(converted.images) != 1)} beside it"
             if converted.images else ""), file=sys.stderr)
    for note in converted.not_converted:
        print(f"toolkit import: could not convert: {note}", file=sys.stderr)
    site, problems = load(args)
    if site is not None and not any(page_path.resolve().is_relative_to(r.resolve()) for r in site.settings.roots):
        print(f"toolkit import: {root} is not one of this site's content roots, so the page was not checked; "
              "add the folder to 'content:' in the settings, then run: toolkit check", file=sys.stderr)
        return EXIT_ERRORS
    shown = {shown_path(path.resolve(), site.settings.folder) for path in written} if site else set()
    mine = [p for p in problems if p.path in shown and p.severity != "info"] if site else problems
    return EXIT_OK if print_problems(mine, "text", stream=sys.stderr) == EXIT_OK else EXIT_ERRORS
