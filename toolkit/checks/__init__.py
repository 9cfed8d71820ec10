"""Checks across a loaded site: `checking` runs them on what loading read; the lint scheduler
(`page_lints`) and its cache; one parse and one walk of each body (`tokens`), whose consumers are
the lints of its markup: `markup` (MyST syntax that could put script, tracking or local files into
a page), `readability`, `alt_text` and the targets the cross-page checks look up; and the lints
of the text as written (code shows it too): `personal_data` (values shaped like real people's
data: examples must be fictional) in the body, every author text and attachment. Each returns
`Problem`s with file lines.

May import: toolkit.content, toolkit.diagrams, toolkit.core (never Sphinx).
"""
