"""Rebuild the shipped language models (restore/data/lm/forward.bin, backward.bin).

    python scripts/build_lm.py --kenlm-bin /path/to/kenlm/build/bin [--corpora ../shared/corpora]

KenLM's lmplz and build_binary come from the PyPI `kenlm` source archive, built with cmake
(Debian: libboost-program-options-dev libboost-system-dev libboost-thread-dev
libboost-test-dev). The training text is every paragraph of the Gutenberg and ECCO-TCP
corpora, split into sentences and tokenized by `restore.models.lm.lm_sentences`, one sentence
a line; the backward model reads each sentence reversed. ../shared/eval is never read, and
neither is ../shared/train: the error model's calibration is learned there, against this
model, so the model must not have read those texts.
"""

from __future__ import annotations

import argparse
import json
import lzma
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from restore.models.lm import LM_DIR, lm_sentences  # noqa: E402

CORPORA = ("gutenberg.jsonl.xz", "ecco-tcp.jsonl.xz")


def write_sentences(corpora: Path, forward: Path, backward: Path, max_words: int) -> int:
    words = 0
    with forward.open("w", encoding="utf-8") as f, backward.open("w", encoding="utf-8") as b:
        for name in CORPORA:
            with lzma.open(corpora / name, "rt", encoding="utf-8") as src:
                for line in src:
                    for para in json.loads(line)["text"].split("\n\n"):
                        for tokens in lm_sentences(para):
                            f.write(" ".join(tokens) + "\n")
                            b.write(" ".join(reversed(tokens)) + "\n")
                            words += len(tokens)
                    if words >= max_words:
                        break
            print(f"{name}: {words:,} tokens so far", file=sys.stderr)
    return words


def build(kenlm_bin: Path, text: Path, out: Path, order: int, prune: str, memory: str) -> None:
    arpa = text.with_suffix(".arpa")
    with text.open("rb") as src, arpa.open("wb") as dst:
        subprocess.run(
            [
                str(kenlm_bin / "lmplz"),
                "-o",
                str(order),
                "--prune",
                *prune.split(),
                "-S",
                memory,
                "--discount_fallback",
            ],
            stdin=src,
            stdout=dst,
            check=True,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(kenlm_bin / "build_binary"), "-q", "8", "-b", "8", "-a", "22", "trie", str(arpa), str(out)],
        check=True,
    )
    arpa.unlink()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kenlm-bin", type=Path, required=True)
    ap.add_argument(
        "--corpora", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpora"
    )
    ap.add_argument("--out", type=Path, default=LM_DIR)
    ap.add_argument(
        "--work", type=Path, default=None, help="folder for the training text (default: a temp dir)"
    )
    ap.add_argument("--order", type=int, default=3)
    ap.add_argument("--prune-forward", default="0 1 2")
    ap.add_argument("--prune-backward", default="0 2 3")
    ap.add_argument("--max-words", type=int, default=10**9)
    ap.add_argument("--memory", default="6G")
    ap.add_argument("--only", choices=("forward", "backward"), default=None)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="restore-lm-"))
    work.mkdir(parents=True, exist_ok=True)
    fwd, bwd = work / "forward.txt", work / "backward.txt"
    if not fwd.exists():
        write_sentences(args.corpora, fwd, bwd, args.max_words)
    if args.only != "backward":
        build(args.kenlm_bin, fwd, args.out / "forward.bin", args.order, args.prune_forward, args.memory)
    if args.only != "forward":
        build(args.kenlm_bin, bwd, args.out / "backward.bin", args.order, args.prune_backward, args.memory)


if __name__ == "__main__":
    main()
