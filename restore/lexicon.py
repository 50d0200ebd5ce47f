"""Old import path of `restore.models.lexicon`, kept for code written against it: the same module object."""

import sys

from restore.models import lexicon

sys.modules[__name__] = lexicon
