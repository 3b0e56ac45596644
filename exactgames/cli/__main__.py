import sys

from exactgames.cli import main

sys.exit(main())
