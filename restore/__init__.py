"""restore: OCR cleanup that records every change and flags what it cannot fix.

>>> from restore import clean
>>> result = clean("The prosecu-\\ntion rested.\\n")
>>> result.output
'The prosecution rested.\\n'
>>> [e.kind for e in result.edits]
['hyphen-join']
"""

__version__ = "0.1.0"

from restore.config import Config  # noqa: E402
from restore.pipeline import Result, clean  # noqa: E402
from restore.record import Edit, Flag, apply_edits  # noqa: E402

__all__ = ["Config", "Edit", "Flag", "Result", "__version__", "apply_edits", "clean"]
