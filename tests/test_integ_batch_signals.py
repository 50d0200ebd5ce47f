"""SIGTERM or SIGINT on a running batch stops its workers, leaves no temporary file, and a rerun resumes."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from restore.batch import MANIFEST
from restore.files import TEMP_SUFFIX

SAMPLE = Path(__file__).parent.parent / "corpus" / "000_ce8a58615c65187e.txt"
RESTORE = str(Path(sys.executable).parent / "restore")
DOCUMENTS = 12


def descendants(pid: int) -> set[int]:
    """Every process below pid, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize(
    ("signum", "to_group"),
    [(signal.SIGTERM, False), (signal.SIGINT, True)],  # kill -TERM PID; Ctrl-C (the whole group)
    ids=["SIGTERM", "SIGINT-to-group"],
)
def test_a_signal_stops_the_workers_and_the_batch_resumes(tmp_path, signum, to_group):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for n in range(DOCUMENTS):
        (src / f"doc{n:02}.txt").write_text(
            f"DOCUMENT {n}\n\n" + text[n * 400 : n * 400 + 4000], encoding="utf-8"
        )
    command = [RESTORE, "clean", str(src), "-o", str(out), "--workers", "2", "--spacy-model", "none"]
    # stdout and stderr are pipes, as in `restore clean ... | tee log`: they reach EOF only
    # when no process holding them is left.
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        while not list(out.glob("*.txt")) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        workers = descendants(process.pid)
        assert process.poll() is None and workers, "the batch had ended before the signal"
        if to_group:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 128 + signum, stderr
    assert not [pid for pid in workers if alive(pid)]
    assert "Traceback" not in stderr
    assert f"restore: stopped by {signal.Signals(signum).name} after " in stderr
    assert not list(out.rglob("*" + TEMP_SUFFIX))
    assert not [p for p in out.rglob(".*") if p.is_file()]
    finished = len(list(out.glob("*.txt")))
    assert finished < DOCUMENTS, "stopped midway"

    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"failed 0 of {DOCUMENTS} file(s)" in again.stderr
    cleaned, skipped = re.search(r"cleaned (\d+), skipped (\d+)", again.stderr).groups()
    assert int(cleaned) + int(skipped) == DOCUMENTS
    assert len(list(out.glob("*.txt"))) == DOCUMENTS
    assert (out / MANIFEST).read_text(encoding="utf-8").count('"status": "done"') == DOCUMENTS
