"""The editor's local server: the vendored Decap CMS at /_edit/, its generated configuration,
and Decap's local-backend API (the protocol of `decap-server`, POST /_edit/api/v1 with
`{action, params}`), on 127.0.0.1 only.

Every path the browser names goes through `EditorFiles.confine`: relative, inside one of the
site's own roots, and a page, data file or attachment; shipped content is refused with the
offer of a local copy. Requests from another origin are refused, so a web page open in the
same browser cannot write an author's files.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from toolkit.checks.checking import check_site
from toolkit.content.kinds import PAGE_KINDS
from toolkit.content.loading import SKIPPED_FOLDERS, load_site
from toolkit.content.model import Site
from toolkit.content.settings import load_settings
from toolkit.content.tariffs import FOLDER as TARIFF_FOLDER
from toolkit.core.yamlio import load_yaml
from toolkit.editor import diagram_forms
from toolkit.editor.config import (
    API_PATH,
    EDITOR_PATH,
    LIST_KEY,
    VOCABULARY_FORMS,
    editor_config,
    entry_route,
)
from toolkit.editor.files import NotReadable, data_text, list_text, page_text, write_atomically
from toolkit.editor.roots import editable_roots, relative

STATIC = Path(__file__).resolve().parent / "static"
ATTACHMENT_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".docx", ".xlsx", ".pptx",
                       ".odt", ".ods", ".odp", ".csv", ".txt")
MAX_REQUEST_BYTES = 20 * 1024 * 1024
# Decap needs inline styles (CSS-in-JS) and eval (its schema validator); everything else is
# this origin only, so the bundle's links to Git hosts, maps and media services never load.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; frame-src 'none'; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'")
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                ".txt": "text/plain; charset=utf-8", ".html": "text/html; charset=utf-8"}


class Refused(Exception):
    """A request the editor will not carry out, with the reason in plain words."""

    def __init__(self, message: str, status: HTTPStatus = HTTPStatus.FORBIDDEN) -> None:
        super().__init__(message)
        self.status = status


class EditorFiles:
    """The site's editable files, as the editor names them (relative to the settings folder)."""

    def __init__(self, settings_path: Path, today: dt.date) -> None:
        self.settings_path = settings_path.resolve()
        self.today = today

    def site(self) -> Site:
        settings, _ = load_settings(self.settings_path)
        if settings is None:
            raise Refused("the settings file has errors; run toolkit check", HTTPStatus.CONFLICT)
        return load_site(settings, self.today)[0]

    @property
    def folder(self) -> Path:
        return self.settings_path.parent

    def roots(self) -> list[Path]:
        settings, _ = load_settings(self.settings_path)
        return editable_roots(settings) if settings else []

    def confine(self, written: str) -> Path:
        """The file a relative path names, or Refused: outside the roots, shipped, or not a
        page, data file or attachment."""
        posix = PurePosixPath(str(written))
        if (not written or "\\" in written or posix.is_absolute() or ".." in posix.parts or ":" in written
                or "\0" in written):
            raise Refused(f"'{written}' is not a path inside this site's content folders")
        target = (self.folder / posix).resolve()
        settings, _ = load_settings(self.settings_path)
        if settings and target.is_relative_to(settings.toolkit_root.resolve()):
            raise Refused(f"'{written}' is shipped toolkit content and is never changed here; "
                          "choose 'Shipped pages: make a local copy' at the foot of the editor and edit "
                          "the copy: a local page with the same id replaces the shipped one")
        if not any(target.is_relative_to(root) for root in self.roots()):
            raise Refused(f"'{written}' is outside this site's content folders "
                          f"({', '.join(relative(r, settings) for r in self.roots()) or 'none'})")
        if any(part.startswith(".") or part in SKIPPED_FOLDERS for part in posix.parts):
            raise Refused(f"'{written}' is a hidden or build file")
        if self.kind(target) is None:
            raise Refused(f"'{written}' is not a page (.md), a data file (.yaml) or an attachment "
                          f"({', '.join(ATTACHMENT_SUFFIXES)})")
        return target

    def kind(self, path: Path) -> str | None:
        """page, diagram, vocabulary, data or attachment; None for anything else."""
        name = path.name.lower()
        if name.endswith(".md"):
            return "page"
        if diagram_forms.kind_of(name):
            return "diagram"
        if path.parent.name == "vocabularies" and name in VOCABULARY_FORMS:
            return "vocabulary"
        if path.parent.name in ("frameworks", "vocabularies", TARIFF_FOLDER) and name.endswith((".yaml", ".yml")):
            return "data"
        return "attachment" if name.endswith(ATTACHMENT_SUFFIXES) else None

    # What the editor reads: pages as written; diagrams and lists in the form's shape.
    def entry(self, path: Path) -> dict[str, Any]:
        text = path.read_text(encoding="utf-8")
        kind = self.kind(path)
        if kind in ("diagram", "vocabulary"):
            data, _ = load_yaml(text, path.name)
            if kind == "diagram":
                diagram = diagram_forms.kind_of(path.name) or ""
                suffix = diagram_forms.DIAGRAM_FORMS[diagram].suffix
                data = diagram_forms.to_form(diagram, dict(data or {}), path.name.removesuffix(suffix))
            else:
                data = {LIST_KEY: data or []}
            text = yaml.safe_dump(json.loads(json.dumps(data, default=str)), sort_keys=False, allow_unicode=True)
        return {"data": text, "file": {"path": relative(path, self._settings()),
                                       "id": hashlib.sha1(text.encode()).hexdigest()}}

    def _settings(self):
        settings, _ = load_settings(self.settings_path)
        return settings

    def save(self, written: str, raw: str) -> Path:
        path = self.confine(written)
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        kind = self.kind(path)
        if kind == "page":
            text = page_text(raw, old)
        elif kind in ("diagram", "vocabulary"):
            form, problems = load_yaml(raw, path.name)
            if not isinstance(form, dict) or problems:
                raise NotReadable("the form's data could not be read")
            if kind == "vocabulary":
                text = list_text(list(form.get(LIST_KEY) or []), old, VOCABULARY_FORMS[path.name][1][0].name)
            else:
                diagram = diagram_forms.kind_of(path.name) or ""
                fields = diagram_forms.DIAGRAM_FORMS[diagram].fields
                text = data_text(diagram_forms.from_form(diagram, dict(form)), old,
                                 [field["name"] for field in fields])
        else:
            raise Refused(f"'{written}' is not a page or form data; upload it as a media file")
        write_atomically(path, text.encode("utf-8"))
        return path

    def save_media(self, written: str, content: str, encoding: str) -> Path:
        path = self.confine(written)
        if self.kind(path) != "attachment":
            raise Refused(f"'{written}' is not an image or a downloadable document")
        data = base64.b64decode(content) if encoding == "base64" else content.encode("utf-8")
        write_atomically(path, data)
        return path

    def media(self, path: Path) -> dict[str, Any]:
        return {"id": hashlib.sha1(path.read_bytes()).hexdigest(), "name": path.name,
                "path": relative(path, self._settings()),
                "content": base64.b64encode(path.read_bytes()).decode("ascii"), "encoding": "base64"}

    def listing(self, folder: str, extension: str) -> list[Path]:
        """Every file in a folder and its subfolders that ends with `.extension`."""
        base = (self.folder / PurePosixPath(folder)).resolve()
        if not any(base.is_relative_to(root) for root in self.roots()):
            raise Refused(f"'{folder}' is outside this site's content folders")
        found = []
        for path in sorted(base.rglob(f"*.{extension}")) if base.is_dir() else []:
            parts = path.relative_to(base).parts
            if any(p.startswith(".") or p in SKIPPED_FOLDERS for p in parts):
                continue
            if extension == "md" or self.kind(path):
                found.append(path)
        return found

    def check(self, written: str) -> dict[str, Any]:
        """What `toolkit check` finds in one file (and how many errors elsewhere), for the
        editor's panel after a save."""
        self.confine(written)
        settings, problems = load_settings(self.settings_path)
        if settings is None:
            raise Refused("the settings file has errors; run toolkit check", HTTPStatus.CONFLICT)
        problems += check_site(settings, self.today)[1]   # the same checks as `toolkit check`
        here = sorted((p for p in problems if p.path == written), key=lambda p: (p.line, p.column, p.message))
        elsewhere = sum(p.severity == "error" and p.path != written for p in problems)
        return {"path": written, "problems": [p.as_dict() for p in here], "errors_elsewhere": elsewhere}

    def entry_path(self, collection: str, slug: str, fields: dict[str, Any]) -> str:
        """The file of an entry Decap names by collection and slug, or (a new entry, which has
        neither path nor slug yet) by the field its collection's slug is made of."""
        found = next((c for c in editor_config(self.site())["collections"] if c["name"] == collection
                      and "folder" in c), None)
        if found is None:
            raise Refused(f"the editor has no collection '{collection}'", HTTPStatus.NOT_FOUND)
        slug = slug or str(fields.get(found["slug"].removeprefix("{{fields.").removesuffix("}}")) or "")
        if not slug:
            raise Refused("the entry has no id or file name yet", HTTPStatus.NOT_FOUND)
        return f"{found['folder']}/{slug}.{found['extension']}"

    def shipped_pages(self) -> list[dict[str, Any]]:
        """Every shipped page, with where its local copy is (to open) if one exists."""
        site = self.site()
        shipped = site.settings.toolkit_root.resolve()
        found = []
        for page in [*site.pages.values(), *site.hidden.values(), *(p for ps in site.replaced.values() for p in ps)]:
            if not page.source.resolve().is_relative_to(shipped):
                continue
            local = site.pages.get(page.id)
            local_copy = local if local is not None and local is not page else None
            found.append({"id": page.id, "title": page.title, "kind": PAGE_KINDS[page.kind].label,
                          "copy": self.route(site, local_copy) if local_copy else None})
        return sorted(found, key=lambda p: str(p["title"]).lower())

    def route(self, site: Site, page: Any) -> str | None:
        """The editor's address of a local page, None if it lies outside the editable roots."""
        if not any(page.source.resolve().is_relative_to(root) for root in self.roots()):
            return None
        return entry_route(site, page.source, page.kind)

    def copy_shipped(self, page_id: str) -> Path:
        """A local copy of a shipped page, in the last editable root, to edit in its place."""
        site = self.site()
        roots = self.roots()
        if not roots:
            raise Refused("this site has no local content folder to copy into; add one to the "
                          "settings' content list", HTTPStatus.CONFLICT)
        target = roots[-1] / f"{page_id}.md"
        if target.exists():
            raise Refused(f"a local copy already exists: {relative(target, site.settings)}", HTTPStatus.CONFLICT)
        shipped = site.settings.toolkit_root.resolve()
        candidates = [site.pages.get(page_id), site.hidden.get(page_id), *site.replaced.get(page_id, [])]
        page = next((p for p in candidates if p is not None and p.source.resolve().is_relative_to(shipped)), None)
        if page is None:
            raise Refused(f"no shipped page has the id '{page_id}'", HTTPStatus.NOT_FOUND)
        write_atomically(target, page.source.read_bytes())
        return target


def handle_action(files: EditorFiles, action: str, params: dict[str, Any]) -> Any:
    """One call of Decap's local-backend protocol."""
    match action:
        case "info":
            return {"repo": files.folder.name, "publish_modes": ["simple"], "type": "local_fs"}
        case "entriesByFolder":
            return [files.entry(p) for p in files.listing(str(params.get("folder", "")),
                                                          str(params.get("extension", "md")))]
        case "entriesByFiles":
            paths = [files.confine(str(item.get("path", ""))) for item in params.get("files") or []]
            return [files.entry(p) for p in paths if p.is_file()]
        case "getEntry":
            path = files.confine(str(params.get("path", "")))
            if not path.is_file():
                raise Refused(f"'{params.get('path')}' does not exist", HTTPStatus.NOT_FOUND)
            return files.entry(path)
        case "persistEntry":
            data_files = params.get("dataFiles") or ([params["entry"]] if params.get("entry") else [])
            for asset in params.get("assets") or []:
                files.save_media(str(asset.get("path", "")), str(asset.get("content", "")),
                                 str(asset.get("encoding", "")))
            for item in data_files:
                files.save(str(item.get("newPath") or item.get("path", "")), str(item.get("raw", "")))
            return {"message": "entry persisted"}
        case "getMedia":
            folder = str(params.get("mediaFolder", ""))
            base = (files.folder / PurePosixPath(folder)).resolve()
            if not any(base.is_relative_to(root) for root in files.roots()):
                raise Refused(f"'{folder}' is outside this site's content folders")
            return [files.media(p) for p in sorted(base.iterdir()) if base.is_dir() and p.is_file()
                    and files.kind(p) == "attachment"] if base.is_dir() else []
        case "getMediaFile":
            return files.media(files.confine(str(params.get("path", ""))))
        case "persistMedia":
            asset = params.get("asset") or {}
            return files.media(files.save_media(str(asset.get("path", "")), str(asset.get("content", "")),
                                                str(asset.get("encoding", ""))))
        case "deleteFile" | "deleteFiles":
            for written in params.get("paths") or [params.get("path", "")]:
                files.confine(str(written)).unlink(missing_ok=True)
            return {"message": "deleted"}
        case "copyShipped":
            path = files.copy_shipped(str(params.get("id", "")))
            site = files.site()
            page = next((p for p in site.pages.values() if p.source.resolve() == path.resolve()), None)
            return {"path": relative(path, site.settings),
                    "route": files.route(site, page) if page is not None else None}
        case "shippedPages":
            return files.shipped_pages()
        case "checkFile":
            return files.check(str(params.get("path") or files.entry_path(
                str(params.get("collection", "")), str(params.get("slug") or ""), params.get("fields") or {})))
        case "getDeployPreview":
            return None
    raise Refused(f"the editor's server does not do '{action}'", HTTPStatus.UNPROCESSABLE_ENTITY)


INDEX = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Edit pages: {name}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
<link href="editor.css" rel="stylesheet">
</head>
<body>
<script src="editor.js"></script>
<script src="decap-cms/decap-cms.js"></script>
<script src="panel.js"></script>
</body>
</html>
"""


class EditorHandler(BaseHTTPRequestHandler):
    files: EditorFiles
    preview_url: str
    server_version = "toolkit-editor"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: serve prints the preview's log
        pass

    def _origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def _send(self, status: int, body: bytes, content_type: str, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", cache)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, default=str).encode("utf-8"), "application/json; charset=utf-8")

    def _host_ok(self) -> bool:
        """Only this loopback address by name (a page elsewhere cannot rebind a name to it)."""
        port = self.server.server_address[1]
        return self.headers.get("Host", "") in (f"127.0.0.1:{port}", f"localhost:{port}")

    def do_GET(self) -> None:
        if not self._host_ok():
            return self._send(HTTPStatus.FORBIDDEN, b"Forbidden", "text/plain")
        path = self.path.split("?", 1)[0]
        if path in ("/", EDITOR_PATH.rstrip("/")):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", EDITOR_PATH)
            self.end_headers()
            return None
        if path == EDITOR_PATH:
            name = self.files.site().settings.name
            from html import escape
            return self._send(HTTPStatus.OK, INDEX.format(name=escape(name)).encode(), STATIC_TYPES[".html"])
        if path == EDITOR_PATH + "config.yml":
            try:
                config = editor_config(self.files.site()) | {"site_url": self.preview_url}
            except Refused as exc:
                return self._send(exc.status, str(exc).encode(), "text/plain; charset=utf-8")
            text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
            return self._send(HTTPStatus.OK, text.encode("utf-8"), "text/yaml; charset=utf-8")
        name = path.removeprefix(EDITOR_PATH)
        if name in ("editor.js", "editor.css", "panel.js") or (name.startswith("decap-cms/") and name.count("/") == 1):
            file = STATIC / name
            if file.is_file() and file.suffix in STATIC_TYPES:
                return self._send(HTTPStatus.OK, file.read_bytes(), STATIC_TYPES[file.suffix],
                                  cache="max-age=3600")
        return self._send(HTTPStatus.NOT_FOUND, b"Not found", "text/plain")

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0] != API_PATH:
            return self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})
        origin = self.headers.get("Origin")
        if not self._host_ok() or (origin is not None and origin not in (
                self._origin(), self._origin().replace("127.0.0.1", "localhost"))):
            return self._json(HTTPStatus.FORBIDDEN, {"error": "requests from other sites are refused"})
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            return self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                              {"error": f"files over {MAX_REQUEST_BYTES // 1024 // 1024} MB are refused"})
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
            result = handle_action(self.files, str(request.get("action", "")), request.get("params") or {})
        except Refused as exc:
            return self._json(exc.status, {"error": str(exc)})
        except (NotReadable, ValueError, AttributeError, TypeError) as exc:
            return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": f"could not save: {exc}"})
        except OSError as exc:
            return self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"could not save: {exc.strerror}"})
        return self._json(HTTPStatus.OK, result)


def start_editor(settings_path: Path, today: dt.date, port: int, preview_url: str
                 ) -> ThreadingHTTPServer:
    """Serve the editor on 127.0.0.1:`port` (0 picks a free port) in a daemon thread."""
    handler = type("Handler", (EditorHandler,), {"files": EditorFiles(settings_path, today),
                                                 "preview_url": preview_url})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, name="toolkit-editor", daemon=True).start()
    return server
