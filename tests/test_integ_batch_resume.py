"""A batch killed midway and run again ends with the outputs of an uninterrupted run."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from restore.batch import MANIFEST
from restore.files import TEMP_SUFFIX

LAYOUT = "normalize,pages,hyphenation,paragraphs"
SAMPLE = Path(__file__).parent.parent / "corpus" / "000_ce8a58615c65187e.txt"
RESTORE = str(Path(sys.executable).parent / "restore")


def outputs(folder: Path) -> dict[str, bytes]:
    """Every output but the HTML pages, byte for byte (records carry no timings)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name not in (MANIFEST, "index.html") and path.suffix != ".html":
            found[str(path.relative_to(folder))] = path.read_bytes()
    return found


def test_a_killed_batch_resumes_to_the_same_result(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for n in range(30):
        (src / f"doc{n:02}.txt").write_text(
            f"DOCUMENT {n}\n\n" + text[n * 300 : n * 300 + 8000], encoding="utf-8"
        )
    command = [RESTORE, "clean", str(src), "--stages", LAYOUT, "--workers", "1", "-q"]

    subprocess.run([*command, "-o", str(tmp_path / "whole")], check=True, timeout=120)

    interrupted = tmp_path / "interrupted"
    process = subprocess.Popen([*command, "-o", str(interrupted)])
    deadline = time.monotonic() + 60
    while len(list(interrupted.glob("*.txt"))) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    finished = len(list(interrupted.glob("*.txt")))
    assert 5 <= finished < 30, "the batch was not killed midway"

    again = subprocess.run(
        [*command[:-1], "-o", str(interrupted)], capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr
    skipped = int(re.search(r"skipped (\d+)", again.stderr).group(1))
    assert finished - 1 <= skipped <= finished  # the outputs of a document finish before its manifest line
    assert outputs(interrupted) == outputs(tmp_path / "whole")
    assert not list(interrupted.rglob("*" + TEMP_SUFFIX))
    assert not [p for p in interrupted.rglob(".*") if p.is_file()]
