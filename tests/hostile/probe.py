"""Record what plain pdfplumber does with each hostile file, each in a guarded subprocess.

Usage::

    python tests/hostile/probe.py [DIR] [NAME ...]     # default DIR: tests/hostile/files/

Each file runs in its own ``bash -c 'ulimit -v 4000000; exec timeout 20 python probe.py --one
FILE'``, which opens it with ``pdfplumber.open`` and runs ``extract_text``,
``extract_tables`` and ``.annots`` on every page. It prints one line per file: outcome (ok /
exception type / timeout / killed), the stage reached, seconds, peak RSS. This is how the
notes in manifest.py were made; it is a diagnostic tool, not a test.

Set HOSTILE_PROBE_TIMEOUT to change the 20 s limit.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIMEOUT_S = int(os.environ.get("HOSTILE_PROBE_TIMEOUT", "20"))
VMEM_KB = 4_000_000

_state = {"stage": "import", "pages": None, "page": None, "chars": 0, "t0": time.monotonic()}


def _report(**extra: object) -> None:
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    out = {**_state, "seconds": round(time.monotonic() - float(_state["t0"]), 2)}
    out.pop("t0")
    out.update(rss_mb=rss_mb, **extra)
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()


def _on_term(signum: int, frame: object) -> None:
    _report(status="timeout")
    os._exit(124)


def probe_one(path: str, password: str | None) -> None:
    """Child side: open and extract, reporting the stage reached."""
    signal.signal(signal.SIGTERM, _on_term)
    _state["t0"] = time.monotonic()
    import pdfplumber

    try:
        _state["stage"] = "open"
        with pdfplumber.open(path, password=password or "") as pdf:
            _state["stage"] = "pages"
            pages = pdf.pages
            _state["pages"] = len(pages)
            _state["stage"] = "extract"
            for i, page in enumerate(pages):
                _state["page"] = i
                text = page.extract_text() or ""
                _state["chars"] = int(_state["chars"]) + len(text)
                page.extract_tables()
                _ = page.annots  # also behind page.hyperlinks
        _state["stage"] = "done"
        _report(status="ok")
    except BaseException as err:  # noqa: BLE001 - we want to see everything, MemoryError too
        msg = str(err).replace("\n", " ")[:160]
        inner = err.args[0] if err.args and isinstance(err.args[0], BaseException) else None
        _report(
            status="raised",
            exc=f"{type(err).__module__}.{type(err).__qualname__}",
            inner=type(inner).__name__ if inner is not None else None,
            msg=msg,
        )


def probe(path: Path, password: str | None = None) -> dict[str, object]:
    """Parent side: run probe_one for `path` under ulimit -v and timeout."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(path)]
    if password is not None:
        cmd.append(password)
    quoted = " ".join("'" + c.replace("'", "'\\''") + "'" for c in cmd)
    shell = f"ulimit -v {VMEM_KB}; exec timeout {TIMEOUT_S} {quoted}"
    t0 = time.monotonic()
    proc = subprocess.run(["bash", "-c", shell], capture_output=True, text=True)
    wall = round(time.monotonic() - t0, 2)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    result: dict[str, object] = json.loads(lines[-1]) if lines else {}
    result.update(wall=wall, rc=proc.returncode)
    if not lines:
        result["status"] = "killed" if proc.returncode < 0 or proc.returncode > 128 else "no-output"
        result["stderr"] = proc.stderr.strip().splitlines()[-1:] if proc.stderr.strip() else []
    return result


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        probe_one(argv[1], argv[2] if len(argv) > 2 else None)
        return 0
    sys.path.insert(0, str(HERE))
    from manifest import CASES

    folder = Path(argv[0]) if argv else HERE / "files"
    names = argv[1:] or sorted(p.name for p in folder.iterdir() if p.suffix == ".pdf")
    for name in names:
        path = folder / name
        case = CASES.get(name)
        tries: list[str | None] = [None]
        if case is not None and case.password:
            tries.append(case.password)
        for password in tries:
            res = probe(path, password)
            label = name + (f" (password {password!r})" if password else "")
            print(f"{label:45} {path.stat().st_size:>9}B  {json.dumps(res)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
