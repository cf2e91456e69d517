"""The command line as a contract: help everywhere, exit codes per error class, files where promised."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.errors import EXIT_CODES
from tests.conftest import RAW, ROOT, expected, run_cli

OLD = RAW / "end-customer-support_10Feb20.pdf"
NEW = RAW / "end-customer-support_2023-03-07.pdf"
DOC = "end-customer-support-comparison-reseller-vs-direct"
COMMANDS = [
    ("extract",),
    ("jobaid",),
    ("jobaid", "extract"),
    ("jobaid", "diff"),
    ("jobaid", "history"),
    ("jobaid", "export"),
    ("jobaid", "who"),
]


def tree_digest(root: Path) -> str:
    """Every file under root (names and bytes) → one hash, to prove a store did not change."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command: tuple[str, ...]) -> None:
    result = run_cli(*command, "--help")
    assert result.returncode == 0
    assert "Usage" in result.stdout


@pytest.mark.parametrize("command", [c for c in COMMANDS if len(c) == 2], ids=" ".join)
def test_every_command_is_documented(command: tuple[str, ...]) -> None:
    assert " ".join(command) in (ROOT / "README.md").read_text(encoding="utf-8")


def test_exit_codes_are_distinct() -> None:
    assert len(set(EXIT_CODES.values())) == len(EXIT_CODES)
    assert not {0, 1, 2} & set(EXIT_CODES.values())


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    result = run_cli("extract", str(OLD), str(NEW), "--output", str(root))
    assert result.returncode == 0, result.stderr
    return root


def test_extract_writes_the_promised_files(filled: Path) -> None:
    folder = filled / DOC / "2020-02-10"
    for name in ("activities.csv", "activities.parquet", "glossary.csv", "revision.json"):
        assert (folder / name).exists(), name
    frame = pd.read_csv(folder / "activities.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns[:5]) == ["phase", "activity", "self_service", "reseller_owner", "direct_owner"]
    assert {"order", "pages", "self_service_status", "activity_id"} <= set(frame.columns)
    truth = expected("sample_10Feb20")["rows"]
    assert frame[frame.columns[:5]].to_dict("records") == truth


def test_storing_a_successor_writes_its_diff(filled: Path) -> None:
    folder = filled / DOC / "changes" / "2020-02-10__2023-03-07"
    for name in ("changes.csv", "changes.json", "report.md", "report.html"):
        assert (folder / name).exists(), name


def test_reextracting_changes_nothing(filled: Path) -> None:
    before = tree_digest(filled)
    result = run_cli("extract", str(OLD), "--output", str(filled))
    assert result.returncode == 0
    assert tree_digest(filled) == before


def test_history_lists_revisions_and_changes(filled: Path) -> None:
    result = run_cli("jobaid", "history", DOC, "--output", str(filled))
    assert result.returncode == 0, result.stderr
    assert "2020-02-10" in result.stdout and "2023-03-07" in result.stdout
    assert "modified" in result.stdout


def test_history_of_unknown_document_is_one_error_line(filled: Path) -> None:
    result = run_cli("jobaid", "history", "no-such-doc", "--output", str(filled))
    assert result.returncode == EXIT_CODES["revision-not-found"]
    assert result.stderr.count("\n") == 1 and "no-such-doc" in result.stderr


def test_who_answers_from_the_store_in_every_format(filled: Path) -> None:
    result = run_cli("jobaid", "who", "Reseller", "--output", str(filled), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    held = {(r["section"], r["activity"], r["path"]) for r in rows}
    assert ("leads", "Order Network Edge services (ECX Portal)", "reseller") in held
    assert ("supports", "Primary Owner of EUC (relationship).", "reseller") in held
    changed = [(r["activity"], r["detail"]) for r in rows if r["section"] == "changed"]
    assert ("Order Network Edge services (ECX Portal)", "now leads (since 2020-02-10; modified)") in changed
    assert ("Primary Owner of EUC (relationship).", "no longer leads (since 2020-02-10; modified)") in changed
    table = run_cli("jobaid", "who", "CSM", DOC, "--output", str(filled))
    assert table.returncode == 0 and "CSM in " + DOC in table.stdout
    csv_text = run_cli("jobaid", "who", "csm", "--output", str(filled), "--format", "csv").stdout
    assert csv_text.startswith("document_id,revision_date,section,phase,activity,path,detail")


def test_who_of_an_unknown_party_is_one_error_line(filled: Path) -> None:
    result = run_cli("jobaid", "who", "Nobody", "--output", str(filled))
    assert result.returncode == EXIT_CODES["revision-not-found"]
    assert result.stderr.count("\n") == 1 and "Nobody" in result.stderr
    bad = run_cli("jobaid", "who", "CSM", "--output", str(filled), "--format", "xml")
    assert bad.returncode == 2


def test_diff_of_two_pdfs_finds_the_planted_changes(tmp_path: Path) -> None:
    result = run_cli("jobaid", "diff", str(OLD), str(NEW), "--output", str(tmp_path))
    assert result.returncode == 0, result.stderr
    changes = pd.read_csv(tmp_path / "changes.csv", dtype=str, keep_default_na=False)
    assert list(changes.columns[:6]) == ["change", "phase", "activity", "field", "old", "new"]
    got = changes[changes.columns[:6]].to_dict("records")
    planted = expected("sample_changes")
    assert sorted(map(str, got)) == sorted(map(str, planted))


def test_diff_of_stored_revisions_by_reference(filled: Path, tmp_path: Path) -> None:
    result = run_cli(
        "jobaid", "diff", f"{DOC}@2020-02-10", f"{DOC}@2023-03-07", "--store", str(filled), "--output", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "report.html").exists()


def test_not_a_pdf_is_one_line_and_leaves_the_store_alone(filled: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.pdf"
    bogus.write_text("just some text\n", encoding="utf-8")
    before = tree_digest(filled)
    result = run_cli("extract", str(bogus), "--output", str(filled))
    assert result.returncode == EXIT_CODES["not-a-pdf"]
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "notes.pdf" in errors[0] and "not a PDF" in errors[0]
    assert "Traceback" not in result.stderr
    assert tree_digest(filled) == before


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    bogus = tmp_path / "empty.pdf"
    bogus.write_bytes(b"")
    result = run_cli("extract", str(bogus), "--output", str(tmp_path / "s"), "--debug")
    assert result.returncode == EXIT_CODES["not-a-pdf"]
    assert "Traceback" in result.stderr


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    bogus = tmp_path / "broken.pdf"
    bogus.write_bytes(b"%PDF-1.7\n")
    root = tmp_path / "store"
    result = run_cli("extract", str(bogus), str(OLD), "--output", str(root))
    assert result.returncode == EXIT_CODES["damaged-pdf"], result.stderr
    assert (root / DOC / "2020-02-10" / "activities.csv").exists()


def test_overlay_draws_one_png_per_page(tmp_path: Path) -> None:
    result = run_cli("extract", str(OLD), "--output", str(tmp_path / "s"), "--overlay", str(tmp_path / "ov"))
    assert result.returncode == 0, result.stderr
    pngs = sorted((tmp_path / "ov").glob("*.png"))
    assert len(pngs) == 3
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
