"""The README's record example is a real run on the sample: the edit, the flag and the word counts."""

import json
import re
from dataclasses import asdict
from pathlib import Path

import pytest

from restore import Config, clean

ROOT = Path(__file__).resolve().parent.parent


def _example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return (
        readme[readme.index("`NAME.json` (keys are only ever added") :]
        .split("```json", 1)[1]
        .split("```", 1)[0]
    )


def _balanced(block: str, start: int) -> dict:
    depth = 0
    for i in range(start, len(block)):
        depth += {"{": 1, "}": -1}.get(block[i], 0)
        if depth == 0:
            return json.loads(block[start : i + 1])
    raise AssertionError("unbalanced example")


@pytest.fixture(scope="module")
def sample_record():
    text = (ROOT / "corpus" / "000_ce8a58615c65187e.txt").read_text(encoding="utf-8")
    return clean(text, Config())


def test_the_readme_record_example_is_a_real_run(sample_record):
    block = _example()
    edit = _balanced(block, block.index('{"id": "e'))
    flag = _balanced(block, block.index('{"id": "f'))
    real_edits = {e.id: _jsonable(asdict(e)) for e in sample_record.edits}
    real_flags = {f.id: _jsonable(asdict(f)) for f in sample_record.flags}
    assert real_edits[edit["id"]] == edit
    assert real_flags[flag["id"]] == flag
    words = re.search(r'"words_in": (\d+), "words_out": (\d+)', block)
    assert (int(words[1]), int(words[2])) == (
        sample_record.stats["words_in"],
        sample_record.stats["words_out"],
    )


def _jsonable(d: dict) -> dict:
    return json.loads(json.dumps(d))
