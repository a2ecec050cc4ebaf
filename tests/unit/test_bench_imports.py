"""The benchmarks are not run by `make test`, so a refactor can break them unseen: every
benchmark module must at least import (its names still exist where it reads them)."""

from __future__ import annotations

import importlib
import pathlib

import pytest

BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize("name", sorted(p.stem for p in BENCH.glob("*.py") if p.stem != "__init__"))
def test_every_benchmark_imports(name: str) -> None:
    importlib.import_module(f"bench.{name}")
