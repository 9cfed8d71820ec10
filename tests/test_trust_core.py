"""Trust by construction, the core: no code from a planted cache, every path confined, limits
with plain errors, no traceback, one build per site at a time, errors where the author is.

Every case runs the real `toolkit` command on a copy of the small site.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, TODAY, SiteFolder, page
from filelock import FileLock

from toolkit.core.limits import MAX_FILE_BYTES

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
DEEP_LIST = "[" * 5000 + "]" * 5000


@pytest.fixture(autouse=True)
def own_key_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This user's cache folder (where the cache key lives), away from the real one."""
    folder = tmp_path_factory.getbasetemp() / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


class Planted:
    """A pickle whose unpickling would write a marker file: the attack on a committed cache."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (Path.write_text, (self.marker, "the planted cache ran"))


def cache_of(site: SiteFolder) -> Path:
    return site.folder / "_build" / "cache"


def test_a_planted_environment_pickle_or_doctree_never_runs_and_fresh_ignores_the_cache(small_site: SiteFolder,
                                                                                        tmp_path: Path):
    assert small_site.toolkit("build").status == 0
    again = small_site.toolkit("build")
    assert again.status == 0 and ": 0 added" in again.stderr, "a build's own sealed cache is used again"
    marker = tmp_path / "marker"
    doctrees = cache_of(small_site) / "doctrees"
    (doctrees / "environment.pickle").write_bytes(pickle.dumps(Planted(marker)))
    (doctrees / "genograms.doctree").write_bytes(pickle.dumps(Planted(marker)))
    result = small_site.toolkit("build")
    assert result.status == 0, result.stderr
    assert not marker.exists()
    assert "[new config]" in result.stderr, "the untrusted cache was emptied and the site built from scratch"
    assert "Genograms" in (small_site.folder / "_build" / "html" / "genograms.html").read_text()
    fresh = small_site.toolkit("build", "--fresh")   # for CI: a trusted cache is not used either
    assert fresh.status == 0 and "[new config]" in fresh.stderr


def test_a_cache_copied_from_another_machine_is_not_trusted(small_site: SiteFolder, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    """Sealed with someone else's key (their own build, committed to the repository)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    assert small_site.toolkit("build").status == 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "me"))
    marker = tmp_path / "marker"
    (cache_of(small_site) / "doctrees" / "environment.pickle").write_bytes(pickle.dumps(Planted(marker)))
    result = small_site.toolkit("build")
    assert result.status == 0 and not marker.exists() and "[new config]" in result.stderr


def _forge(lint_cache: Path, key: bytes) -> None:
    """Mark every cached page clean, signed with `key`."""
    data = json.loads(lint_cache.read_bytes().partition(b"\n")[2])
    data["results"] = {entry: {"problems": [], "mentions": []} for entry in data["results"]}
    text = json.dumps(data).encode()
    lint_cache.write_bytes(hmac.new(key, text, hashlib.sha256).hexdigest().encode() + b"\n" + text)


def test_a_planted_lint_cache_entry_does_not_skip_the_checks(small_site: SiteFolder, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    small_site.write("guides/leak.md", page("leak", "Call about NHS number 943 476 5919 today."))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "attacker"))
    assert "943" in small_site.toolkit("check").stdout   # the attacker's own run fills a cache
    lint_cache = cache_of(small_site) / "lint-cache.json"
    _forge(lint_cache, (tmp_path / "attacker" / "practice-toolkit" / "cache-key").read_bytes())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "me"))
    result = small_site.toolkit("check")
    assert result.status == 1 and "guides/leak.md" in result.stdout and "personal" in result.stdout.lower()
    # The same entry signed with this user's own key is honoured: the signature is what decides.
    _forge(lint_cache, (tmp_path / "me" / "practice-toolkit" / "cache-key").read_bytes())
    assert "guides/leak.md" not in small_site.toolkit("check").stdout


def test_a_cache_inside_a_content_root_warns_and_is_not_trusted(small_site: SiteFolder, tmp_path: Path):
    settings = small_site.content / "site.yaml"
    settings.write_text(small_site.settings.read_text().replace("content: [content]", 'content: ["."]'))
    run = [sys.executable, "-m", "toolkit", "build", "--site", str(settings)]
    env = os.environ | {"TOOLKIT_TODAY": TODAY}
    first = subprocess.run(run, capture_output=True, text=True, env=env, cwd=small_site.folder, timeout=300)
    assert first.returncode == 0, first.stderr
    marker = tmp_path / "marker"
    (small_site.content / "_build" / "cache" / "doctrees" / "environment.pickle").write_bytes(
        pickle.dumps(Planted(marker)))
    second = subprocess.run(run, capture_output=True, text=True, env=env, cwd=small_site.folder, timeout=300)
    assert second.returncode == 0 and not marker.exists()
    assert "inside the content root" in second.stderr and "not trusted" in second.stderr


def test_two_builds_at_once_take_turns_and_publish_a_searchable_site(small_site: SiteFolder):
    env = os.environ | {"TOOLKIT_TODAY": TODAY}
    command = [sys.executable, "-m", "toolkit", "build", "--site", str(small_site.settings)]
    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                cwd=small_site.folder)

    # The second starts once the first holds the lock: started together on a loaded machine, the
    # first could finish before the second asked, and nothing would have been shown to overlap.
    first = start()
    holder = cache_of(small_site) / "build.lock.who"
    deadline = time.monotonic() + 120
    while f"by process {first.pid} " not in (holder.read_text() if holder.exists() else ""):
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.02)
    builds = [first, start()]
    outputs = [build.communicate(timeout=300) for build in builds]
    assert [build.returncode for build in builds] == [0, 0], outputs
    assert any("waiting for the build started at" in err for _, err in outputs)
    entry = json.loads((small_site.folder / "_build" / "html" / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] >= 3


def test_a_build_waits_for_a_running_one_and_gives_up_clearly(small_site: SiteFolder,
                                                              monkeypatch: pytest.MonkeyPatch):
    cache = cache_of(small_site)
    cache.mkdir(parents=True)
    (cache / "build.lock.who").write_text("the build started at 09:00:00 by process 1 on ci-runner")
    monkeypatch.setenv("TOOLKIT_LOCK_TIMEOUT", "1")
    with FileLock(cache / "build.lock"):
        result = small_site.toolkit("build")
    assert result.status == 1 and "Traceback" not in result.stderr
    assert "the build started at 09:00:00 by process 1 on ci-runner of this site is still running" in result.stderr
    assert not (small_site.folder / "_build" / "html").exists()


def test_a_damaged_search_index_is_repaired_by_the_next_build(small_site: SiteFolder):
    assert small_site.toolkit("build").status == 0
    html = cache_of(small_site) / "html"
    fragments = sorted((html / "pagefind" / "fragment").iterdir())
    fragments[0].write_text("damaged")
    for fragment in fragments[1:]:
        fragment.unlink()
    # the indexer as the live preview runs it after each rebuild (in its own process: Pagefind's
    # service runs an event loop, and a test process may already have one)
    indexed = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                              "from toolkit.site.build import site_files; "
                              "from toolkit.site.search_index import index_site; "
                              "html = Path(sys.argv[1]); "
                              "sys.exit(not index_site(html, [f for f in site_files(html) if f.suffix == '.html']))",
                              str(html)], capture_output=True, text=True)
    assert indexed.returncode == 0, indexed.stderr
    assert sorted(f.name for f in (html / "pagefind" / "fragment").iterdir()) == [f.name for f in fragments]
    assert fragments[0].read_bytes() != b"damaged"
    published = small_site.folder / "_build" / "html" / "pagefind"
    for fragment in (published / "fragment").iterdir():
        fragment.unlink()
    assert small_site.toolkit("build").status == 0
    assert len(list((published / "fragment").iterdir())) == len(fragments)


def test_a_search_indexer_past_its_timeout_fails_the_build_and_publishes_nothing(small_site: SiteFolder,
                                                                                monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TOOLKIT_SEARCH_TIMEOUT", "0.001")
    result = small_site.toolkit("build")
    assert result.status == 1 and "Traceback" not in result.stderr
    assert "search indexing took longer than 0.001 s and was stopped" in result.stderr
    assert not (small_site.folder / "_build" / "html").exists()


@pytest.fixture(scope="module")
def over_the_limits(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteFolder, str]:
    """One site holding every kind of oversized file, checked once."""
    import shutil

    from conftest import SMALL_SITE
    folder = tmp_path_factory.mktemp("limits") / "site"
    shutil.copytree(SMALL_SITE, folder)
    site = SiteFolder(folder)
    site.write("guides/bomb.genogram.yaml", ALIAS_BOMB)
    site.write("guides/bomb-page.md", "---\n" + ALIAS_BOMB + "---\n# Bomb\n")
    site.write("guides/deep.md", page("deep", owner=DEEP_LIST))
    site.write("guides/huge.md", page("huge", "word " * (MAX_FILE_BYTES // 5 + 10)))
    site.write("guides/options.md", page("options", "```{note}\n---\n" + ALIAS_BOMB + "---\nText.\n```"))
    site.write("vocabularies/glossary.yaml", "- " * 60 + "x\n")
    site.write("guides/nested.md", page("nested", ":::{note}\n" * 300 + "x\n" + ":::\n" * 300))   # overflowed the build
    site.write("guides/many.genogram.yaml", "- a\n" * 2_000_000)   # composing it took 38 s
    site.write("guides/many-fields.md", "---\n" + "".join(f"k{i}: v\n" for i in range(60_000)) + "---\n# Many\n")
    for name, body in WITHIN_LIMITS.items():
        site.write(f"guides/{name}.md", page(name, body))
    for name, body in HOSTILE_TEXT.items():   # each hung or took seconds in markdown-it or a lint's regex
        site.write(f"guides/{name}.md", page(name, "Some guidance.\n\n\n" + body))
    result = site.toolkit("check", timeout=120)
    return site, result.stdout + result.stderr


# Markdown that markdown-it reads in time growing with the square of a paragraph (or worse), each
# shape past a limit of toolkit/core/limits.py: refused on the paragraph's first line (15), unparsed.
PARAGRAPH = "markup characters ([ ] * _ ` < { : and the like); the most in one paragraph is 5,000"
HOSTILE_TEXT = {
    "brackets": "[" * 200_000, "images": "![" * 3_000, "nested-links": "[" * 3_000 + "]" * 3_000,
    "emphasis": "*_" * 3_000, "smart-quotes": "\"'" * 3_000, "backticks": "`a``" * 2_000, "autolinks": "<a:" * 3_000,
    "quotes": ">" * 6_000, "table": "| a | b |\n| - | - |\n" + "| a | b |\n" * 2_000, "fences": ":::{note}\n" * 2_000,
    "fields": ":a: b\n" * 3_000, "attributes": "[a]{" * 3_000, "entities": "&#" * 3_000,
}
PAGE_WIDE = {   # spread over paragraphs, or past the lines or characters of a page
    "many-paragraphs": ("\n\n".join(["[" * 4_000] * 6), "the page has 24,001 markup characters"),
    "definitions": ("a\n: b\n" * 11_000, "the page has 22,007 lines; the most is 20,000"),
    "characters": ("word " * 210_000, "the page's text is 1,050,032 characters; the most is 1,000,000"),
}
# Within the limits, but each took minutes in a lint's regex or Pyphen: now read in linear time (the
# check's timeout of 120 s fails the fixture otherwise).
WITHIN_LIMITS = {"dotted": "a." * 100_000, "one-word": "a" * 300_000, "at-signs": "a@" * 100_000}
HOSTILE_TEXT |= {name: body for name, (body, _) in PAGE_WIDE.items()}
ALIASES = "aliases (*name) repeat 490,329,036 values; the most is 10,000"
DEEP = "nested more than 50 levels deep"


@pytest.mark.parametrize(("file", "message"), [
    ("content/guides/bomb.genogram.yaml:1:", ALIASES),
    ("content/guides/bomb-page.md:2:", ALIASES),
    ("content/guides/deep.md:", DEEP),
    ("content/guides/huge.md:1:", "the most the toolkit reads is 10,000,000"),
    ("content/guides/options.md:", ALIASES),
    ("content/vocabularies/glossary.yaml:1:", DEEP),
    ("content/guides/nested.md:", "directives, quotes or lists inside one another more than 30 levels deep"),
    ("content/guides/many.genogram.yaml:1:", "the YAML has more than 100,000 values"),
    ("content/guides/many-fields.md:2:", "the YAML has more than 100,000 values"),
    *((f"content/guides/{name}.md:15:", PARAGRAPH) for name in HOSTILE_TEXT if name not in PAGE_WIDE),
    *((f"content/guides/{name}.md:10:", message) for name, (_, message) in PAGE_WIDE.items()),
])
def test_files_past_the_limits_get_a_plain_error_naming_them(over_the_limits: tuple[SiteFolder, str],
                                                             file: str, message: str):
    _, output = over_the_limits
    assert "Traceback" not in output and "something went wrong" not in output
    mine = [line for line in output.splitlines() if line.startswith(file)]
    assert len(mine) == 1 and message in mine[0], output[-3000:]   # one error, no knock-on ones


@pytest.mark.parametrize("name", WITHIN_LIMITS)
def test_long_runs_without_spaces_are_checked_promptly_with_no_error(over_the_limits: tuple[SiteFolder, str],
                                                                     name: str):
    _, output = over_the_limits
    assert not [line for line in output.splitlines() if line.startswith(f"content/guides/{name}.md") and
                ": error:" in line], output[-3000:]


def test_direction_controls_in_a_page_body_are_refused_on_their_line(small_site: SiteFolder):
    """A right-to-left override makes "due 10-01-2202" show as another date: each line holding such a
    control is an error; right-to-left text itself (Urdu here) is fine."""
    body = "Review due \u202e2202-01-10\u202c.\n\nUrdu: \u0627\u0631\u062f\u0648.\n\nName \u2067abc\u2069 here."
    small_site.write("guides/bidi.md", page("bidi", body))
    result = small_site.toolkit("check")
    mine = [line for line in result.stdout.splitlines() if line.startswith("content/guides/bidi.md")]
    assert [line.split(":")[1] for line in mine] == ["12", "16"], result.stdout
    assert "right-to-left override character (U+202E)" in mine[0] and "[bidi-control]" in mine[1]


def test_paths_copied_from_windows_are_refused_on_their_line(small_site: SiteFolder):
    """A path from Windows Explorer (a drive letter, a network share) in every place a page names a file:
    one windows-path error each, on its line, never 'does not exist' or 'another host'."""
    places = ["![A map](C:\\Users\\psw\\map.png)", "![A map](\\\\server\\share\\map.png)",
              "{download}`The form <C:\\forms\\form.docx>`", "[The policy](\\\\server\\policies\\p.docx)",
              "```{image} D:\\pictures\\a.png\n:alt: A\n```", ":::{card} T\n:img-top: c:/pictures/a.png\n:::",
              "```{genogram} C:\\cases\\family.genogram.yaml\n```"]
    small_site.write("guides/windows.md", page("windows", "\n\n".join(places), templates="['H:\\forms\\r.docx']"))
    output = small_site.toolkit("check").stdout
    mine = [line for line in output.splitlines() if line.startswith("content/guides/windows.md")]
    first = 13   # the body's first line (templates is line 9)
    lines = [first + sum(p.count("\n") + 2 for p in places[:i]) + (1 if ":::{card}" in places[i] else 0)
             for i in range(len(places))]
    assert sorted(int(line.split(":")[1]) for line in mine) == sorted([9, *lines]), output
    assert all("[windows-path]" in line and "network drive" in line for line in mine), output


def test_paths_leaving_the_content_root_are_refused(small_site: SiteFolder, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(page("secret", "A page from elsewhere."))
    (outside / "glossary.yaml").write_text("- {term: Secret, definition: From elsewhere.}\n")
    (small_site.content / "guides" / "linked.md").symlink_to(outside / "secret.md")
    (small_site.content / "vocabularies" / "glossary.yaml").unlink()
    (small_site.content / "vocabularies" / "glossary.yaml").symlink_to(outside / "glossary.yaml")
    (small_site.content / "elsewhere").symlink_to(outside, target_is_directory=True)
    (small_site.content / "again").symlink_to(small_site.content / "guides", target_is_directory=True)
    small_site.write("guides/escape.md", page("escape", "Get {download}`the form <../../outside/form.docx>`.\n\n"
                                              "Or {download}`this <form\0.docx>`.\n\n![A map](../../../map.png)",
                                              aliases="['../../../../x']"))
    result = small_site.toolkit("check")
    output = result.stdout
    assert result.status == 1 and "Traceback" not in result.stderr
    for expected in ("content/guides/linked.md:1: error: 'guides/linked.md' points outside the content root",
                     "content/vocabularies/glossary.yaml:1: error: 'vocabularies/glossary.yaml' points outside",
                     "'../../outside/form.docx' points outside the content root",
                     "contains a NUL byte", "'../../../map.png' points outside the content root",
                     "alias '../../../../x' is not an old page id",
                     "content/elsewhere:1: error: 'elsewhere' points outside the content root",
                     "content/again:1: error: this is a link to a folder, which is not read"):
        assert expected in output, output
    assert small_site.toolkit("build").status == 1
    assert not list(tmp_path.rglob("x.html")) and not (small_site.folder / "_build" / "html").exists()


def test_a_logo_outside_the_settings_folder_is_refused(small_site: SiteFolder):
    small_site.settings.write_text(small_site.settings.read_text() + "logo: ../../../../etc/passwd\n")
    result = small_site.toolkit("check")
    assert result.status == 1
    assert "site.yaml:6: error: logo '../../../../etc/passwd' points outside the content root" in result.stdout


def test_content_roots_outside_the_settings_folder_are_refused(small_site: SiteFolder, tmp_path: Path):
    """Content roots go through the same confinement as every other path a settings file names."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text(page("secret", "A page from elsewhere."))
    (small_site.folder / "linked").symlink_to(outside, target_is_directory=True)
    (small_site.folder / "shared").mkdir()
    small_site.settings.write_text(small_site.settings.read_text().replace(
        "content: [content]", f'content: [content, ../elsewhere, "{outside}", linked, "sh\\0ared", shared]'))
    result = small_site.toolkit("check")
    assert result.status == 1 and "Traceback" not in result.stderr
    refused = [line for line in result.stdout.splitlines() if line.startswith("site.yaml:5: error: content root")]
    assert len(refused) == 4, result.stdout
    for expected in ("'../elsewhere' points outside", f"'{outside}' points outside", "'linked' points outside",
                     "'shared' contains a NUL byte"):
        assert any(expected in line and "inside the settings file's folder" in line for line in refused), refused
    assert small_site.toolkit("build").status == 1
    assert not (small_site.folder / "_build" / "html").exists()


@pytest.mark.parametrize(("relative", "text", "expected"), [
    ("guides/kind.md", page("kind", kind="[resource]"), "'kind' should be text, found a list"),
    ("guides/nul.md", page("nul", "Get {download}`the form <fo\0rm.docx>`."), "contains a NUL byte"),
    ("guides/deep.md", page("deep", related=DEEP_LIST), "nested more than 50 levels deep"),
])
def test_inputs_that_raised_tracebacks_get_plain_errors(small_site: SiteFolder, relative: str, text: str,
                                                        expected: str):
    small_site.write(relative, text)
    result = small_site.toolkit("check")
    assert result.status == 1 and "Traceback" not in result.stderr + result.stdout
    assert any(relative in line and expected in line for line in result.stdout.splitlines()), result.stdout


def test_footer_links_given_as_text_is_a_plain_error(small_site: SiteFolder):
    small_site.settings.write_text(small_site.settings.read_text() + "footer_links: privacy.html\n")
    result = small_site.toolkit("check")
    assert result.status == 1 and "Traceback" not in result.stderr
    assert "site.yaml:6: error: 'footer_links' should be a list of items" in result.stdout


def test_ids_are_matched_whole_and_generated_names_are_reserved(small_site: SiteFolder):
    small_site.write("guides/news.md", page("placeholder").replace("id: placeholder", 'id: "local-news\\n"'))
    topics = small_site.content / "vocabularies" / "topics.yaml"
    topics.write_text(topics.read_text() + "- {id: index, label: Everything, description: All of it.}\n")
    framework = (small_site.content / "frameworks" / "KSS-PS.yaml").read_text()
    small_site.write("frameworks/NEW.yaml", framework.replace("id: KSS-PS", 'id: "NEW-SET\\n"', 1))
    result = small_site.toolkit("check")
    assert result.status == 1
    assert "guides/news.md:2: error: 'id' should be an id" in result.stdout
    assert "topics.yaml:3: error: 'index' is the name of the page listing every entry" in result.stdout
    assert "frameworks/NEW.yaml" in result.stdout and "should be capitals, digits and hyphens" in result.stdout
    small_site.settings.write_text(small_site.settings.read_text().replace('"#1d4f91"', '"#1d4f91\\n"'))
    assert "colours.primary should be a colour" in small_site.toolkit("check").stdout


def test_errors_stay_where_the_author_is(small_site: SiteFolder):
    small_site.write("guides/broken.md", page("broken-page", status="finished"))
    small_site.write("guides/linking.md", page(
        "linking", "See {doc}`broken-page`.\n\nAnd {doc}`genogram`.\n\nAs {statement}`KSS-PS-99` says.\n\n"
        "Welcome to {site}`nmae`.\n\n(my-label)=\n## Part\n\nSee {ref}`my-label`, {ref}`the term <term-psw>` "
        "and {ref}`my-lable`.\n\nA {term}`Principle Social Worker`, a {term}`psw` and {term}`them <PSW>`; "
        "{bdg-ref-primary}`a badge <my-lable>`.\n\n```{button-ref} genogram\nGo\n```\n\n"
        ":::{card} A card\n:link: genogram\n:link-type: doc\n:::\n\n"
        ":::{grid-item-card} A ref card\n:link: my-lable\n:link-type: ref\n:::\n\n"
        ":::{card} A good card\n:link: my-label\n:link-type: ref\n:::\n\n"
        "```{toctree}\ngenogram\ngenograms\nThe guide <genograms>\njavascript:alert(1)\n```\n\n"
        "See [the guide](genogram), [a form](../form.docx), [fine](genograms.md) and [a part](my-label).",
        related="[broken-page]"))
    result = small_site.toolkit("check")
    lines = [line for line in result.stdout.splitlines() if "error" in line]
    assert any(line.startswith("content/guides/broken.md:6:") and "'status' cannot be 'finished'" in line
               for line in lines), lines
    assert not any("broken-page" in line for line in lines if "linking.md" in line), lines
    assert "content/guides/linking.md:15: error: {doc} link to 'genogram': no page has that id; " \
           "did you mean 'genograms'?" in result.stdout
    assert "content/guides/linking.md:17: error: statement: 'KSS-PS-99' is not a known framework statement; " \
           "did you mean" in result.stdout
    assert "content/guides/linking.md:19: error: site: 'nmae' is not a known setting; did you mean 'name'?" \
           in result.stdout
    refs = [line for line in lines if line.startswith("content/guides/linking.md:24:")]
    assert refs == ["content/guides/linking.md:24: error: ref: 'my-lable' is not a known label; did you mean "
                    "'my-label'? (link to a label written (name)= on the line before a heading) [unknown-ref]"], refs
    # every role and directive that names an id, at its own line, with a "did you mean"
    for expected in ("linking.md:26: error: term: 'Principle Social Worker' is not a known glossary term; "
                     "did you mean 'Principal Social Worker'?",
                     "linking.md:26: error: ref: 'my-lable' is not a known label; did you mean 'my-label'?",
                     "linking.md:28: error: {button-ref} link to 'genogram': no page has that id; did you mean",
                     "linking.md:33: error: {card} link to 'genogram': no page has that id; did you mean",
                     "linking.md:38: error: ref: 'my-lable' is not a known label",
                     "linking.md:48: error: toctree entry to 'genogram': no page has that id; did you mean",
                     "linking.md:51: error: toctree entry 'javascript:alert(1)' is a script or data address",
                     "linking.md:54: error: link to 'genogram': no page or label has that name; did you mean",
                     "linking.md:54: error: link to '../form.docx': no page or label has that name"):
        assert expected in result.stdout, result.stdout
    assert len([line for line in lines if line.startswith("content/guides/linking.md:")]) == 13, lines


def test_an_unexpected_exception_is_a_bug_report_naming_the_file(small_site: SiteFolder):
    """No real bug is known to trigger it, so one is put into the loader of a real command run."""
    script = ("import sys, toolkit.content.loading as loading\n"
              "def broken(*args): raise KeyError('a bug')\n"
              "loading.read_page = broken\n"
              "from toolkit.commands.cli import main\n"
              f"sys.exit(main(['check', '--site', {str(small_site.settings)!r}]))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 3 and "Traceback" not in done.stderr
    assert "something went wrong inside the toolkit while reading content/guides/genograms.md" in done.stderr
    assert "please report it" in done.stderr


def test_a_crash_inside_sphinx_is_a_bug_report_too(small_site: SiteFolder, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch):
    """A handler of the builder is made to fail in the Sphinx process (through sitecustomize)."""
    (tmp_path / "sitecustomize.py").write_text(
        "import builder\n"
        "def broken(app, exception):\n"
        "    raise KeyError('a bug')\n"
        "builder._list_pages = broken\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), str(REPO)]))
    result = small_site.toolkit("build")
    assert result.status == 3 and "Traceback" not in result.stderr and "Versions" not in result.stderr
    assert "something went wrong inside the toolkit while building the site" in result.stderr
    assert "'a bug'" in result.stderr and "sphinx-doc/sphinx/issues" not in result.stderr
    assert not (small_site.folder / "_build" / "html").exists()
