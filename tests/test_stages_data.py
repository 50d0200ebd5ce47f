"""Each layout stage on its own, text in and text out: tests/data/<stage>/<case>.in.txt."""

from pathlib import Path

import pytest

from restore import Config, clean

DATA = Path(__file__).parent / "data"
LAYOUT_STAGES = ("normalize", "pages", "hyphenation", "paragraphs")
CASES = [
    pytest.param(stage, case, id=f"{stage}/{case.name.removesuffix('.in.txt')}")
    for stage in LAYOUT_STAGES
    for case in sorted((DATA / stage).glob("*.in.txt"))
]


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize(("stage", "case"), CASES)
def test_stage_turns_input_into_expected(stage, case):
    source = read(case)
    expected = read(case.with_name(case.name.replace(".in.txt", ".expected.txt")))
    result = clean(source, Config(stages=(stage,)))
    assert result.output == expected
    assert result.apply([])[0] == source
    for edit in result.edits:
        assert edit.stage == stage and edit.reason and 0 <= edit.confidence <= 1
