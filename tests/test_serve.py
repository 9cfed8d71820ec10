"""The warm preview (issue 22): one `toolkit serve` on the small site, no browser. A save updates
the page, the listings and statement pages that depend on it, and the search index, and a saved
diagram data file or picture is shown, all without a new Sphinx; a settings change, and a
template change, start a new one, which builds with them."""

from __future__ import annotations

import gzip
import pickle
import re
import shutil
import signal
import threading
import time
from pathlib import Path

from conftest import TODAY, SiteFolder, page
from test_preview_problems import _get, previewing, wait_for

from toolkit.commands.serve import SERVED, serve_cache
from toolkit.content.shipped import PROJECT
from toolkit.core.protocol import WARM_BUILT, WARM_STOPPED
from toolkit.site.build import cache_folder
from toolkit.site.warm import WarmSphinx

RESTARTED = "Sphinx started again"
FAMILY = ("index: child\npeople:\n  - {id: mum, label: Mum, sex: female, born: 1988}\n"
          "  - {id: dad, label: Dad, sex: male, born: 1986}\n  - {id: child, label: LABEL, sex: female, born: 2016}\n"
          "unions:\n  - {partners: [mum, dad], status: separated, since: 2021, children: [child]}\n")
PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="FILL"/></svg>'


def _search_text(site: SiteFolder) -> str:
    """What the served search index shows of the pages (Pagefind's fragments, gzipped JSON): the
    index's and, after a rebuild, its delta's (toolkit/site/search_index.py)."""
    index = serve_cache(cache_folder(site.settings)) / SERVED / "pagefind"
    return " ".join(gzip.decompress(f.read_bytes()).decode("utf-8", "replace") for f in index.glob("**/fragment/*"))


def _environment_has(site: SiteFolder, docname: str) -> bool:
    """Whether the preview's saved Sphinx environment loads, and has read `docname`."""
    try:
        with (serve_cache(cache_folder(site.settings)) / "doctrees" / "environment.pickle").open("rb") as saved:
            return docname in pickle.load(saved).all_docs
    except (OSError, EOFError, pickle.UnpicklingError):
        return False


def _checkout_copy(folder: Path) -> Path:
    """The toolkit's code, configuration and shipped content, as a checkout a developer edits."""
    for name in ("toolkit", "builder", "content"):
        shutil.copytree(PROJECT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("conf.py", "CHANGELOG.md"):
        shutil.copy2(PROJECT / name, folder / name)
    return folder


def test_a_save_updates_listings_statements_and_search_and_settings_or_templates_restart_sphinx(
        small_site: SiteFolder, tmp_path: Path) -> None:
    edited = small_site.content / "guides" / "reflective-supervision.md"
    text = edited.read_text(encoding="utf-8")
    settings = small_site.settings.read_text(encoding="utf-8")
    checkout = _checkout_copy(tmp_path / "checkout")
    template = checkout / "builder" / "templates" / "page.html"
    small_site.write("guides/family.genogram.yaml", FAMILY.replace("LABEL", "Adaline"))
    small_site.write("guides/images/key.svg", PICTURE.replace("FILL", "#333333"))
    genograms = small_site.content / "guides" / "genograms.md"
    genograms.write_text(genograms.read_text(encoding="utf-8") + "\n```{genogram} family.genogram.yaml\n"
                         ":caption: A fictional family\n```\n\n![A grey square](images/key.svg)\n", encoding="utf-8")
    with previewing(small_site, code=checkout) as (address, log):
        def html(name: str) -> str:
            return _get(address + name) or ""

        assert "reflective-supervision.html" not in html("statements/KSS-PS-3.html")
        edited.write_text(text.replace("maps_to: [KSS-PS-1, KSS-PS-2]", "maps_to: [KSS-PS-1, KSS-PS-2, KSS-PS-3]")
                        .replace("title: Reflective supervision", "title: Reflective supervision in teams")
                        + "\nAsk about the zebrafinch moments of the week.\n", encoding="utf-8")
        wait_for(lambda: "zebrafinch" in html("reflective-supervision.html"), "the edited page", log)
        assert 'href="../reflective-supervision.html"' in html("statements/KSS-PS-3.html")
        for listing in ("sections/resources.html", "topics/supervision.html", "audiences/practice-supervisor.html"):
            assert "Reflective supervision in teams" in html(listing), listing
        wait_for(lambda: "zebrafinch" in _search_text(small_site), "the search index", log)
        assert "zebrafinch" in html("search.html")   # "Did you mean" knows the new word

        (small_site.content / "guides" / "family.genogram.yaml").write_text(FAMILY.replace("LABEL", "Zorabel"))
        wait_for(lambda: "Zorabel" in html("genograms.html"), "the diagram after its data file was saved", log)
        (small_site.content / "guides" / "images" / "key.svg").write_text(PICTURE.replace("FILL", "#0b6e4f"))

        def picture() -> str:
            found = re.search(r'<img[^>]+src="([^"]*key[^"]*\.svg)"', html("genograms.html"))
            return html(found.group(1)) if found else ""
        wait_for(lambda: "#0b6e4f" in picture(), "the picture after it was saved", log)
        edited.write_text(edited.read_text(encoding="utf-8").replace("zebrafinch", "kestrel"), encoding="utf-8")
        wait_for(lambda: "kestrel" in html("reflective-supervision.html"), "a save of the body alone", log)
        assert "kestrel" in html("search.html") and "zebrafinch" not in html("search.html")
        # A page added, then removed (Sphinx looks for the pages itself: builder/source_changes.py).
        small_site.write("guides/kittiwake.md", page("kittiwake-guide", body="Kittiwake notes.", maps_to="[KSS-PS-3]"))
        wait_for(lambda: "Kittiwake notes" in html("kittiwake-guide.html"), "a new page", log)
        assert 'href="../kittiwake-guide.html"' in html("statements/KSS-PS-3.html")
        (small_site.content / "guides" / "kittiwake.md").unlink()
        wait_for(lambda: "kittiwake-guide.html" not in html("statements/KSS-PS-3.html"), "the page removed", log)
        assert "Kittiwake notes" not in html("kittiwake-guide.html")
        assert RESTARTED not in log.read_text()   # the same warm Sphinx built them all
        # Its environment is written by a fork (builder/env_writer.py): always whole, and a new
        # Sphinx starts from it (else it would read every page again).
        wait_for(lambda: _environment_has(small_site, "reflective-supervision"), "the environment written", log)

        small_site.settings.write_text(settings.replace("Testshire Practice Toolkit", "Testshire Practice Guide"),
                                       encoding="utf-8")
        wait_for(lambda: "Testshire Practice Guide" in html("genograms.html"), "the new site name", log)
        assert log.read_text().count(RESTARTED) == 1

        template.write_text(template.read_text(encoding="utf-8").replace("{{ body }}", "{{ body }}<p>Osprey</p>"),
                            encoding="utf-8")
        wait_for(lambda: log.read_text().count(RESTARTED) == 2, "a new Sphinx after the template change", log)
        edited.write_text(text + "\nA second save after the template change.\n", encoding="utf-8")
        wait_for(lambda: "second save" in html("reflective-supervision.html"), "the page after the restart", log)
        assert "<p>Osprey</p>" in html("reflective-supervision.html")   # built with the edited template
        assert "Traceback" not in log.read_text()


def test_a_warm_sphinx_killed_from_outside_is_replaced_but_not_once_the_preview_is_stopping(
        small_site: SiteFolder) -> None:
    """A preview asked to stop while it builds ends that build, starts no other Sphinx and leaves
    the cache unsealed; a warm Sphinx killed by anything else is started again and the save still
    built."""
    warm = WarmSphinx(small_site.settings, serve_cache(cache_folder(small_site.settings)), TODAY)
    page = small_site.content / "guides" / "reflective-supervision.md"

    def rebuild_killed(stopping: bool) -> tuple[str, str]:
        page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        replies: list[tuple[str, str]] = []
        asking = threading.Thread(target=lambda: replies.append(warm.rebuild()))
        asking.start()
        while not (warm.building and warm.process is not None):
            time.sleep(0.01)
        if stopping:
            warm.stopping()   # what the preview's signal handler does
        else:
            warm.process.send_signal(signal.SIGTERM)
        asking.join(timeout=300)
        return replies[0]

    try:
        assert warm.rebuild()[0] == WARM_BUILT
        outcome, _ = rebuild_killed(stopping=False)
        assert (outcome, warm.starts) == (WARM_BUILT, 2)   # replaced, and the save built
        assert rebuild_killed(stopping=True) == (WARM_STOPPED, "") and warm.starts == 2
    finally:
        clean = warm.stop(final=True)
    assert not clean   # a build cut short is not sealed as trusted
