"""Building a site: staging pages for Sphinx, running it, the search index, the PDF copies, the
final scan of the output and the atomic publish.

May import: toolkit.checks, toolkit.content, toolkit.diagrams, toolkit.core (never Sphinx:
Sphinx runs in its own process, the builder package).
"""
