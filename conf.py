"""Sphinx configuration: thin by design. The settings come from the site settings file, staged
by `toolkit build` as the manifest named by toolkit.core.protocol.MANIFEST_VARIABLE; the rest lives in `builder`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from builder.config import sphinx_config  # noqa: E402
from builder.sitedata import site_data  # noqa: E402

globals().update(sphinx_config(site_data()))
