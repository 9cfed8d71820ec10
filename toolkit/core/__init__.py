"""The primitives every layer uses: the Problem type, YAML and text-file reading, limits, path
confinement, the traceback guard, cache sealing and the toolkit-builder protocol.

May import: nothing else in the toolkit.
"""
