"""What a URL an author wrote leads to, as a browser would read it: one rule for the markup lint,
the settings (footer links), the output scan and the build's own clean-up.

Content-level (it imports nothing of the toolkit), so reading the settings never imports a lint.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

_DANGEROUS_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|data):")
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:")
_DRIVE = re.compile(r"^[a-z]:(?:[/\\]|$)", re.IGNORECASE)
#: What a link on the site may lead to: the schemes MyST makes links of (but ftp:, which browsers
#: no longer open). Any other (`file:`, `smb:`, `tel:`, `onenote:`) is shown as plain text.
WEB_SCHEMES = frozenset({"http", "https", "mailto"})
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\ufeff]")


def normalise_url(url: str) -> str:
    """What a browser would see as the start of a URL: entities and escapes decoded,
    spaces and control characters dropped (browsers ignore them), lower case."""
    for _ in range(3):
        url = unquote(html.unescape(url))
    return _INVISIBLE.sub("", url).replace("\\", "/").lower()


def is_dangerous_url(url: str) -> bool:
    """True for `javascript:`, `vbscript:` and `data:` URLs, however they are spelt."""
    return bool(_DANGEROUS_SCHEME.match(normalise_url(url)))


def is_remote_url(url: str) -> bool:
    """True for a URL with a scheme or host (`https:`, `//host`): not a file in the root."""
    plain = normalise_url(url)
    return plain.startswith("//") or bool(_ANY_SCHEME.match(plain))


def is_windows_path(url: str) -> bool:
    """True for a path on one computer or network drive, as Windows Explorer copies it
    (`C:\\Users\\...`, `\\\\server\\share\\...`): a reader's browser cannot open it."""
    plain = unquote(html.unescape(url)).strip()
    return "\\" in plain or bool(_DRIVE.match(plain))


def foreign_scheme(url: str) -> str | None:
    """The scheme of a link that is not a web address (`file`, `smb`, `tel`, ...), or None."""
    found = _ANY_SCHEME.match(normalise_url(url))
    scheme = found.group(0)[:-1] if found else None
    return None if scheme is None or scheme in WEB_SCHEMES else scheme
