"""--engine dask, on a LocalCluster of 2 worker processes, writes what the local engine writes."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from restore.cli import main

distributed = pytest.importorskip("distributed")

LAYOUT = "normalize,pages,hyphenation,paragraphs"
SAMPLE = Path(__file__).parent.parent / "corpus" / "000_ce8a58615c65187e.txt"


def outputs(folder: Path) -> dict[str, bytes]:
    """Every output file, byte for byte (records carry no timings)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "restore-manifest.jsonl":
            data = path.read_bytes()
            if path.name == "index.html":  # it is titled with OUTDIR's name
                data = data.replace(folder.name.encode(), b"OUTDIR")
            found[str(path.relative_to(folder))] = data
    return found


def test_dask_engine_outputs_equal_the_local_engines(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    text = SAMPLE.read_text(encoding="utf-8")
    for n in range(6):
        (src / ("sub" if n % 2 else "") / f"doc{n}.txt").write_text(text[n * 2000 :], encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    runner = CliRunner()
    common = [str(src), "--stages", LAYOUT, "--summary"]

    local = runner.invoke(
        main,
        ["clean", *common, str(tmp_path / "local.csv"), "-o", str(tmp_path / "local-out"), "--workers", "2"],
    )
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        joined = runner.invoke(
            main,
            [
                "clean",
                *common,
                str(tmp_path / "dask.csv"),
                "-o",
                str(tmp_path / "dask-out"),
                "--engine",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
            ],
        )
        workers_used = {w for w, tasks in cluster.scheduler.workers.items() if tasks.metrics}
    assert local.exit_code == joined.exit_code == 1  # the binary file
    assert "restore: " + str(src / "binary.txt") + ": binary file, not text" in joined.stderr
    assert outputs(tmp_path / "dask-out") == outputs(tmp_path / "local-out")
    assert len(outputs(tmp_path / "local-out")) >= 7 * 3
    assert len(workers_used) == 2
    rows = sorted((tmp_path / "dask.csv").read_text(encoding="utf-8").splitlines())
    assert rows == sorted((tmp_path / "local.csv").read_text(encoding="utf-8").splitlines())

    # Without --scheduler, the engine starts its own LocalCluster of --workers processes.
    own = runner.invoke(
        main,
        [
            "clean",
            str(src / "sub"),
            "--stages",
            LAYOUT,
            "-o",
            str(tmp_path / "own-out"),
            "--engine",
            "dask",
            "--workers",
            "2",
        ],
    )
    assert own.exit_code == 0, own.stderr
    own_outputs = outputs(tmp_path / "own-out")
    assert own_outputs.pop("index.html")
    # local-out/sub/NAME.json sits a folder deeper than own-out/NAME.json: its path to the source is too.
    deeper, level = b'"source_from_record": "../../in/sub/', b'"source_from_record": "../in/sub/'
    assert own_outputs == {
        k[len("sub/") :]: v.replace(deeper, level)
        for k, v in outputs(tmp_path / "local-out").items()
        if k.startswith("sub/")
    }
