"""The `toolkit` command: the parser, one module per command, and their shared helpers
(toolkit.commands.common).

May import: every other toolkit package.
"""
