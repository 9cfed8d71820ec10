"""Build benchmarks: synthetic sites of any size, and the toolkit timed against plain Sphinx and MkDocs."""
