"""``python -m voiceround``: same as the ``voiceround`` command."""
import sys

from voiceround.cli import main

sys.exit(main())
