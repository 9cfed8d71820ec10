"""Lints that read what an author wrote and refuse what must not be published.

`personal_data` catches values shaped like real people's data (UK GDPR: examples must be
fictional), in every text including code; `markup` catches MyST syntax that could put script,
tracking or local files into a page. The markup lints (`markup`, `readability`, `alt_text`, and
the `mentions` the cross-page checks look up) read one MyST parse per page (`markup.parse`,
walked by `tokens.walk`), so markup shown in code is never taken for the real thing. All return
`Problem`s with file lines, and none imports Sphinx.
"""
