"""Write a long job aid (about 1000 activities over 70+ pages) for benchmarking the extractor.

Usage: ``python bench/make_long.py OUT.pdf [N_ACTIVITIES]``

The drawing code is the fixture generator's (tests/fixtures/generate.py): a ruled table, the
header repeated on every page and rows allowed to split across pages.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

_GENERATE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "generate.py"


def _generator() -> Any:
    name = "jobaid_fixture_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, _GENERATE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses need the module registered while it executes
    spec.loader.exec_module(module)
    return module


def long_rows(n_activities: int = 1000) -> list[dict[str, str]]:
    """Seed activities cycled into ``n_activities`` rows, a new phase every 24 activities."""
    g = _generator()
    seed = g.seed_rows()
    rows: list[dict[str, str]] = []
    phases = list(dict.fromkeys(r["phase"] for r in seed))
    for i in range(n_activities):
        base = seed[i % len(seed)]
        block = i // 24
        rows.append({
            "phase": f"{phases[block % len(phases)]} (Region {block + 1})",
            "activity": f"{base['activity']} (case {i + 1:04d})",
            "self_service": base["self_service"],
            "reseller_owner": base["reseller_owner"],
            "direct_owner": base["direct_owner"],
        })
    return rows


def make_long(path: str | Path, n_activities: int = 1000) -> dict[str, Any]:
    """Write the long job aid to ``path``; return the extraction it must produce."""
    g = _generator()
    doc = g.seed_doc(long_rows(n_activities))
    style = g.Style(family="Helvetica", size=10, fmt="Letter", orient="P", borders="lines",
                    phase_layout="span", phase_fill=(217, 217, 217), repeat_header=True,
                    split_rows=True, pad_y=4.0, fracs=(0.27, 0.15, 0.29, 0.29))
    renderer = g.build(doc, style, Path(path))
    expected = g.expected_of(doc, style)
    expected["pages"] = renderer.page
    return expected


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        raise SystemExit("usage: python bench/make_long.py OUT.pdf [N_ACTIVITIES]")
    n = int(args[1]) if len(args) > 1 else 1000
    expected = make_long(args[0], n)
    print(f"{args[0]}: {len(expected['rows'])} activities, {expected['pages']} pages")


if __name__ == "__main__":
    main()
