import sys

from toolkit.commands.cli import main

sys.exit(main())
