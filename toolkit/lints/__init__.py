"""Lints that read what an author wrote and refuse what must not be published.

`personal_data` catches values shaped like real people's data (UK GDPR: examples must be
fictional); `markup` catches MyST syntax that could put script, tracking or local files
into a page. Both return `Problem`s with file lines, and neither imports Sphinx.
"""
