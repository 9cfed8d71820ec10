"""Practice Leadership Toolkit: content model, loading, validation and command line.

This package never imports Sphinx: authors can check content on any machine, and a
content root can never reach the build configuration.
"""

__version__ = "0.1.0"
