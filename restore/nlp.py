"""Old import path of `restore.models.nlp`, kept for code written against it: the same module object."""

import sys

from restore.models import nlp

sys.modules[__name__] = nlp
