"""Checks across a loaded site: `checking` runs them on what loading read; the lint scheduler
(`page_lints`) and its cache; one walk of the MyST parse of each body (`tokens`); and each lint
that reads what an author wrote and refuses what must not be published: `markup` (MyST syntax
that could put script, tracking or local files into a page), `personal_data` (values shaped
like real people's data: examples must be fictional), `alt_text`, `readability`, and personal
data in every author text and attachment. Each returns `Problem`s with file lines.

May import: toolkit.content, toolkit.diagrams, toolkit.core (never Sphinx).
"""
