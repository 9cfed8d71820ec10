"""The content model: settings, pages, frameworks, vocabularies, references and the one loader
that reads a site into them, with the field rules that validate every value.

May import: toolkit.core, toolkit.diagrams.
"""
