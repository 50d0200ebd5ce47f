"""restore: OCR cleanup that records every change and flags what it cannot fix.

>>> from restore import clean
>>> result = clean("The prosecu-\\ntion rested.\\n")
>>> result.output
'The prosecution rested.\\n'
>>> [e.kind for e in result.edits]
['hyphen-join']
"""

from restore.config import Config
from restore.pipeline import Result, clean
from restore.record import Edit, Flag, apply_edits
from restore.version import __version__

__all__ = ["Config", "Edit", "Flag", "Result", "__version__", "apply_edits", "clean"]
