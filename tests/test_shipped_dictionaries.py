"""The project's dictionaries ship inside the package, so an installed wheel (not -e) still has them."""

import tomllib
from pathlib import Path

from restore.models import lexicon

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_lists_live_in_the_package_and_stack_first():
    shipped = lexicon.SHIPPED_DICTIONARIES
    assert shipped.is_relative_to(ROOT / "restore")
    names = sorted(p.name for p in shipped.glob("*.txt"))
    assert names == ["names.txt", "terms.txt"]
    files = [Path(path) for _kind, path in lexicon.dictionary_files()]
    assert [p.name for p in files[:2]] == names and all(p.parent == shipped for p in files[:2])
    assert lexicon.dictionary_files(use_project=False) == ()


def test_package_data_covers_the_shipped_lists():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["restore"]
    for path in lexicon.SHIPPED_DICTIONARIES.glob("*.txt"):
        relative = path.relative_to(ROOT / "restore")
        assert any(
            relative.match(p) or (p.endswith("**/*") and str(relative).startswith(p[:-4])) for p in patterns
        ), relative
