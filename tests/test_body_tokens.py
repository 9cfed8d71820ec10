"""Body lints read the one MyST parse of a page: markup shown in code is an example, not markup.

A how-to page for authors shows directives and roles inside fenced code and inline code; the
same markup written outside code is checked, on the author's own line.
"""

from __future__ import annotations

import pytest

from tests.conftest import SiteFolder, page
from tests.test_readability import HARD

F = "```"
# A directive with options the markup lint refuses (an event handler, a remote image).
BAD_OPTIONS = ":::{note}\n:onclick: alert(1)\nRead this.\n:::\n\n:::{image} pictures/family.png\n:alt: A family\n" \
              ":target: javascript:alert(1)\n:::\n"
SHOWN = f"""To link a page, write `` {{doc}}`no-such-page` `` in a sentence; a note is `` :::{{note}} `` with
`` :onclick: alert(1) `` under it, and an image ``{{image}} https://tracker.example/pixel.png``.

{F}markdown
See {{doc}}`no-such-page` and {{statement}}`KSS-PS-99`, ![](missing.png) and {{download}}`gone.docx`.

{F}{{genogram}} families/missing.genogram.yaml
{F}
{F}

~~~
:::{{genogram}}
people: not-a-list
:::
~~~

    {{ref}}`no-such-label` in an indented code block

{F}markdown
{BAD_OPTIONS}
{F}

{F}text
{HARD}
{F}
"""
# The same markup outside code, each on a line of its own (page lines 12 on).
USED = f"""See {{doc}}`no-such-page` and {{statement}}`KSS-PS-99`.

![A family](missing.png)

{F}{{genogram}} families/missing.genogram.yaml
{F}

:::{{genogram}}
people: not-a-list
:::

Then {{ref}}`no-such-label`.

{BAD_OPTIONS}
{HARD}
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One `toolkit check` of a site with both pages."""
    import shutil

    from tests.conftest import SMALL_SITE
    site = SiteFolder(tmp_path_factory.mktemp("tokens") / "site")
    shutil.copytree(SMALL_SITE, site.folder)
    site.write("how-to.md", page("how-to", body=SHOWN))
    site.write("uses.md", page("uses", body=USED))
    result = site.toolkit("check")
    assert "Traceback" not in result.stderr + result.stdout
    return result.stdout


def test_markup_shown_in_code_is_not_checked(checked: str) -> None:
    assert "content/how-to.md" not in checked


@pytest.mark.parametrize(("line", "words"), [
    (12, "{doc} link to 'no-such-page'"),
    (12, "'KSS-PS-99' is not a known framework statement"),
    (14, "'missing.png' does not exist"),
    (16, "'families/missing.genogram.yaml' does not exist"),
    (20, "people must be a list"),
    (23, "'no-such-label' is not a known label"),
    (26, "option ':onclick:' of {note} is not allowed"),
    (32, "option :target: of {image} uses a 'javascript:' URL"),
])
def test_the_same_markup_outside_code_is_checked_on_its_line(checked: str, line: int, words: str) -> None:
    assert any(text.startswith(f"content/uses.md:{line}: error:") and words in text
               for text in checked.splitlines()), checked


def test_prose_outside_code_is_scored_for_plain_english(checked: str) -> None:
    lines = checked.splitlines()
    assert any(text.startswith("content/uses.md:10: warning: this page is hard to read") for text in lines), checked
