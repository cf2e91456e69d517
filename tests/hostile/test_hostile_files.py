"""The hostile-file generator and its manifest agree, and the committed files are up to date."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).resolve().parent


def _load(name: str, filename: str) -> ModuleType:
    """Import a sibling file under a unique module name (tests/ is not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / filename)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


generate = _load("hostile_generate", "generate.py")
manifest = _load("hostile_manifest", "manifest.py")


def test_manifest_names_every_generated_file() -> None:
    assert set(manifest.SMALL_NAMES) == set(generate.SMALL)
    assert set(manifest.LARGE_NAMES) == set(generate.LARGE)


def test_encrypted_cases_carry_their_password() -> None:
    for case in manifest.CASES.values():
        if case.kind == manifest.ENCRYPTED:
            assert case.password and case.kind_with_password, case.name


@pytest.mark.parametrize("name", manifest.SMALL_NAMES)
def test_committed_file_matches_generator(name: str) -> None:
    committed = HERE / "files" / name
    assert committed.exists(), f"run: python tests/hostile/generate.py ({name} missing)"
    fresh = generate.SMALL[name]()
    assert len(fresh) < generate.SMALL_LIMIT
    assert committed.read_bytes() == fresh, f"{name} is stale: rerun tests/hostile/generate.py"


def test_make_large_writes_only_into_the_given_dir(tmp_path: Path) -> None:
    written = generate.make_large(tmp_path)
    assert sorted(p.name for p in written) == sorted(manifest.LARGE_NAMES)
    assert all(p.parent == tmp_path and p.stat().st_size > 1_000_000 for p in written)
    assert not any((HERE / "files" / name).exists() for name in manifest.LARGE_NAMES)
