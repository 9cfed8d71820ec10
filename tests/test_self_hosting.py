"""The built site on a real web server: Debian's nginx with the example config in deploy/,
serving the site under /toolkit/ on 127.0.0.1. Every page and every link, image, script and
stylesheet reachable from the start page works and stays on the host, the security headers
are sent, and Chromium reports no Content-Security-Policy violation, search included."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, SiteFolder, page

from builder.hosting import CONTENT_SECURITY_POLICY

NGINX = Path("/usr/sbin/nginx")
EXAMPLE_CONFIG = REPO / "deploy" / "nginx.conf"
PREFIX = "/toolkit/"
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_config(site: Path, port: int, work: Path) -> str:
    """deploy/nginx.conf as shipped, on a free local port and this site's folder, inside the
    smallest main config that runs nginx unprivileged in the foreground."""
    example = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    assert "listen 80;" in example and "/var/www/toolkit/" in example
    server = example.replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
        "/var/www/toolkit/", f"{site.as_posix()}/")
    temp = "\n".join(f"    {name}_temp_path {work / name};" for name in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"daemon off;\nmaster_process off;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'};\n"
            f"events {{ worker_connections 64; }}\nhttp {{\n    include /etc/nginx/mime.types;\n"
            f"    default_type application/octet-stream;\n    access_log off;\n{temp}\n{server}\n}}\n")


@contextmanager
def nginx_serving(html: Path, work: Path) -> Iterator[str]:
    """Serve a copy of the built site with nginx; yields the site's address (ending /toolkit/)."""
    if not NGINX.exists():
        pytest.fail("nginx is missing: run `make test` as root, or apt-get install -y nginx")
    site = work / "www" / "toolkit"
    shutil.copytree(html, site)
    port = free_port()
    config = work / "nginx.conf"
    config.write_text(nginx_config(site, port, work), encoding="utf-8")
    checked = subprocess.run([str(NGINX), "-t", "-p", str(work), "-c", str(config), "-e", str(work / "error.log")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen([str(NGINX), "-p", str(work), "-c", str(config), "-e", str(work / "error.log")])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (work / "error.log").read_text()
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}{PREFIX}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx_site(shipped_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with nginx_serving(shipped_site, tmp_path_factory.mktemp("nginx")) as address:
        yield address


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def fetch(url: str) -> Response:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


@dataclass
class Crawl:
    pages: dict[str, BeautifulSoup] = field(default_factory=dict)
    assets: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


# (tag, attribute, what it loads): anything but <a> is fetched by the browser itself.
REFERENCES = [("a", "href", "link"), ("link", "href", "asset"), ("script", "src", "asset"),
              ("img", "src", "asset"), ("source", "src", "asset"), ("iframe", "src", "asset"),
              ("form", "action", "link")]


def crawl(start: str) -> Crawl:
    """Every page reachable from `start` and every asset they load; problems named by page."""
    host = urlsplit(start).netloc
    found = Crawl()
    queue, seen, fragments = [start], {start}, []
    while queue:
        url = queue.pop()
        response = fetch(url)
        if response.status != 200:
            found.problems.append(f"{url}: HTTP {response.status}")
            continue
        found.pages[url] = soup = BeautifulSoup(response.body, "html.parser")
        for tag, attribute, kind in REFERENCES:
            for element in soup.find_all(tag):
                value = element.get(attribute)
                if tag == "link" and "stylesheet" not in element.get("rel", []) \
                        and "prefetch" not in element.get("rel", []) and "icon" not in element.get("rel", []):
                    continue
                if not value or value.startswith(("mailto:", "tel:")):
                    continue
                target, fragment = urldefrag(urljoin(url, value))
                parts = urlsplit(target)
                if parts.netloc != host:
                    if kind == "asset":
                        found.problems.append(f"{url}: <{tag} {attribute}={value!r}> loads from another host")
                    continue
                if not parts.path.startswith(PREFIX):
                    found.problems.append(f"{url}: <{tag} {attribute}={value!r}> leaves the site's sub-path")
                    continue
                if parts.path.endswith((".html", "/")) and kind == "link":
                    if fragment:
                        fragments.append((url, value, target, fragment))
                    if target not in seen:
                        seen.add(target)
                        queue.append(target)
                else:
                    found.assets.add(target)
    for url, value, target, fragment in fragments:
        soup = found.pages.get(target)
        if soup is not None and not soup.find(id=fragment):
            found.problems.append(f"{url}: link {value!r} names a missing anchor")
    return found


def check_assets(crawled: Crawl, host: str) -> list[str]:
    """Fetch every asset; stylesheets' own url() references must resolve on this host too."""
    problems = []
    for url in sorted(crawled.assets):
        response = fetch(url)
        if response.status != 200:
            problems.append(f"{url}: HTTP {response.status}")
        elif url.split("?")[0].endswith(".css"):
            for reference in CSS_URL.findall(response.body.decode("utf-8")):
                if reference.startswith(("data:", "#")):
                    continue
                target = urljoin(url, reference)
                if urlsplit(target).netloc != host:
                    problems.append(f"{url}: url({reference}) loads from another host")
                elif fetch(target).status != 200:
                    problems.append(f"{url}: url({reference}) is broken")
    return problems


def test_every_page_link_and_asset_works_under_a_sub_path(nginx_site: str, shipped_site: Path) -> None:
    crawled = crawl(nginx_site)
    problems = crawled.problems + check_assets(crawled, urlsplit(nginx_site).netloc)
    assert problems == [], "\n".join(problems[:40])
    published = {p.relative_to(shipped_site).as_posix() for p in shipped_site.rglob("*.html")}
    reached = {urlsplit(u).path.removeprefix(PREFIX) or "index.html" for u in crawled.pages}
    unreachable = published - reached - {"404.html"}
    # Redirect pages for old ids are reached by old bookmarks, not by links.
    unreachable = {name for name in unreachable
                   if 'http-equiv="refresh"' not in (shipped_site / name).read_text(encoding="utf-8")}
    assert unreachable == set(), f"pages no link reaches: {sorted(unreachable)[:20]}"
    assert len(crawled.pages) > 50 and len(crawled.assets) > 5


def test_security_and_caching_headers(nginx_site: str) -> None:
    page = fetch(nginx_site + "index.html")
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY + "; frame-ancestors 'self'"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.headers["cache-control"] == "no-cache"
    styles = fetch(nginx_site + "_static/toolkit.css?v=1")
    assert styles.headers["cache-control"] == "max-age=2592000"
    assert styles.headers["x-content-type-options"] == "nosniff"     # headers reach every location
    entry = fetch(nginx_site + "pagefind/pagefind-entry.json")
    assert entry.status == 200 and entry.headers["cache-control"] == "no-cache"
    assert fetch(nginx_site.removesuffix("/")).status == 200        # /toolkit redirects to /toolkit/


def test_missing_page_gets_the_404_page(nginx_site: str) -> None:
    response = fetch(nginx_site + "no-such-page.html")
    assert response.status == 404
    soup = BeautifulSoup(response.body, "html.parser")
    assert soup.h1 is not None and "Page not found" in soup.h1.get_text()


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI + " " + event.sourceFile
                              + ":" + event.lineNumber);
});
"""


def csp_problems(browser, url: str, action=None) -> list[str]:  # noqa: ANN001
    """Load `url` (then run `action`) in Chromium; the CSP violations and errors it reports."""
    context = browser.new_context()
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text) if message.type == "error"
            and not message.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda error: messages.append(str(error)))
    # Failed loads are named by URL; the browser's own /favicon.ico probe is outside the site.
    page.on("response", lambda answer: messages.append(f"HTTP {answer.status} {answer.url}")
            if answer.status >= 400 and answer.url != url and not answer.url.endswith("/favicon.ico") else None)
    page.add_init_script(CSP_LISTENER)
    response = page.goto(url, wait_until="load")
    if action:
        action(page)
    page.wait_for_timeout(200)
    violations = page.evaluate("window.__cspViolations")
    context.close()
    assert response is not None and response.headers.get("content-security-policy")
    return violations + messages


CSP_PAGES = ["index.html", "genograms.html", "eco-maps.html", "chronologies.html", "timelines.html",
             "glossary.html", "statements/KSS-PS-1.html", "frameworks/KSS-PS.html", "coverage.html",
             "audiences/practitioner.html", "about.html", "no-such-page.html"]


@pytest.mark.parametrize("path", CSP_PAGES)
def test_pages_keep_the_content_security_policy(browser, nginx_site: str, path: str) -> None:
    assert csp_problems(browser, nginx_site + path) == []


def test_search_runs_under_the_content_security_policy(browser, nginx_site: str) -> None:
    def search(page) -> None:  # noqa: ANN001
        page.wait_for_selector("#toolkit-search-results a[href$='.html']", timeout=15000)
        links = page.eval_on_selector_all("#toolkit-search-results a[href$='.html']", "els => els.length")
        assert links > 0

    assert csp_problems(browser, nginx_site + "search.html?q=supervision", search) == []


def test_404_page_works_at_any_depth_when_base_url_is_set(small_site: SiteFolder, tmp_path: Path,
                                                           browser) -> None:
    with small_site.settings.open("a", encoding="utf-8") as settings:
        settings.write("base_url: https://intranet.testshire.example/toolkit/\n")
    small_site.write("guides/renamed.md", page("renamed", aliases="[old-name]"))
    result = small_site.toolkit("build")
    assert result.status == 0, result.stderr[-3000:]
    with nginx_serving(small_site.folder / "_build" / "html", tmp_path / "nginx") as address:
        context = browser.new_context()
        browser_page = context.new_page()
        failed: list[str] = []
        browser_page.on("requestfailed", lambda request: failed.append(request.url))
        browser_page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and
                        not r.url.endswith("missing.html") else None)
        response = browser_page.goto(address + "deep/down/missing.html")
        assert response is not None and response.status == 404
        assert browser_page.locator("h1").inner_text().startswith("Page not found")
        # Styled: Furo's stylesheet loaded from the site's path, not from /deep/down/.
        assert browser_page.evaluate("getComputedStyle(document.body).getPropertyValue('--color-brand-primary')"
                                     ).strip() == "#1d4f91"
        assert failed == []
        browser_page.click("text=home page")
        assert browser_page.url == address + "index.html"
        # An old id still reaches its page.
        browser_page.goto(address + "old-name.html")
        browser_page.wait_for_url(address + "renamed.html")
        context.close()
