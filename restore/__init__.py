"""restore: OCR cleanup that records every change and flags what it cannot fix.

The public API mirrors the command line, one function per command:

- ``restore clean FILE -o OUT``: ``clean_files([FILE], OUT, config)``; one text in memory: ``clean(text, config)``
- ``restore apply NAME.json ...``: ``apply_decisions(record, decisions=..., output=...)``
- ``restore names build CORPUS -o F``: ``build_names([CORPUS], F)``
- ``restore eval --ocr O --gt G``: ``evaluate(O, G, config)``
- ``restore degrade CLEAN -o D --seed N``: ``degrade_files([CLEAN], D, N)``
- ``restore learn --ocr O --gt G -o M``: ``learn(O, G, M)``; then ``Config(model_dir=M)``
- ``restore learn --ocr O -o M`` (OCR alone): ``learn_from_ocr(O, M)``
- reading NAME.json back: ``load_record(path, source=None)`` -> Document
- a long-running process (a service) loads the models before its first text: ``load_models(config)``

>>> from restore import clean
>>> result = clean("The prosecu-\\ntion rested.\\n")
>>> result.output
'The prosecution rested.\\n'
>>> [e.kind for e in result.edits]
['hyphen-join']
"""

from restore.batch import clean_batch as clean_files
from restore.config import Config
from restore.degrade import degrade_files
from restore.evaluate import evaluate
from restore.learn import learn, learn_from_ocr
from restore.names import build as build_names
from restore.pipeline import clean, load_models
from restore.record import Document, Edit, Flag, apply_edits, load_record
from restore.review import apply as apply_decisions
from restore.version import __version__

__all__ = [
    "Config",
    "Document",
    "Edit",
    "Flag",
    "__version__",
    "apply_decisions",
    "apply_edits",
    "build_names",
    "clean",
    "clean_files",
    "degrade_files",
    "evaluate",
    "learn",
    "learn_from_ocr",
    "load_models",
    "load_record",
]
