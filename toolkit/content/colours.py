"""WCAG contrast for the organisation's brand colour, with a passing suggestion when it fails."""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
AA_NORMAL_TEXT = 4.5
# The brand colour is text on Furo's page and on its sidebar; check it against the one it
# contrasts with least (the light sidebar #f8f9fb, the dark sidebar #1a1c1e; axe measured).
LIGHT_BACKGROUND = "#f8f9fb"
DARK_BACKGROUND = "#1a1c1e"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _mix(colour: str, towards: str, amount: float) -> str:
    parts = []
    for i in (1, 3, 5):
        a, b = int(colour[i:i + 2], 16), int(towards[i:i + 2], 16)
        parts.append(round(a + (b - a) * amount))
    return "#" + "".join(f"{p:02x}" for p in parts)


def nearest_passing(colour: str, background: str) -> str:
    """The colour moved the least towards black or white that reaches AA on `background`."""
    towards = "#000000" if luminance(background) > 0.5 else "#ffffff"
    for step in range(0, 101):
        candidate = _mix(colour, towards, step / 100)
        if contrast(candidate, background) >= AA_NORMAL_TEXT:
            return candidate
    return towards


def dark_mode_variant(colour: str) -> str:
    """A lighter version of the brand colour for dark mode, when none is given."""
    return nearest_passing(colour, DARK_BACKGROUND)
