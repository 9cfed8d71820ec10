"""The browser editor for authors: Decap CMS (vendored under static/), its configuration
generated from the content contract, and a local backend that `toolkit serve` runs on
127.0.0.1 so forms save the author's own files in the format `toolkit check` expects.

May import: toolkit.content, toolkit.diagrams, toolkit.core (the command that starts it,
`toolkit serve`, and `toolkit editor-config` are in toolkit.commands).
"""
