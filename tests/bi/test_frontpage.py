"""The store's front page and the responsibility matrices, from a fake store and from `extract`."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from pipeline.bi.build import build_warehouse
from pipeline.compare.refresh import refresh_document
from pipeline.read.responsibility import parse_self_service
from pipeline.store.files import save_revision
from tests.bi.test_warehouse import DOC, R1, R2, R3, write_fake_store
from tests.conftest import expected

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SAMPLE_DOC = "end-customer-support-comparison-reseller-vs-direct"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    root = write_fake_store(tmp_path / "store")
    build_warehouse(root)
    return root


def test_a_matrix_per_revision_with_parts_per_path(store: Path) -> None:
    folder = store / "bi" / "matrix"
    assert sorted(p.name for p in folder.glob("*.csv")) == [f"{DOC}__{d}.csv" for d in (R1, R2, R3)]
    matrix = pd.read_csv(folder / f"{DOC}__{R1}.csv", dtype=str, keep_default_na=False).set_index("activity_id")
    assert list(matrix.columns[:2]) == ["phase", "activity"]
    assert matrix.loc["a2", "Reseller"] == "R:L"  # and no D: "No reseller participation."
    assert matrix.loc["a2", "EQIX AE"] == "R:S D:L"
    assert matrix.loc["a4", "EUC"] == "D:L"  # self-service not available in R1; only served via reseller
    later = pd.read_csv(folder / f"{DOC}__{R2}.csv", dtype=str, keep_default_na=False).set_index("activity_id")
    assert later.loc["a4", "EUC"] == "SS:L D:L"
    assert (folder / f"{DOC}__{R1}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_front_page_is_self_contained_and_links_every_report(store: Path) -> None:
    page = (store / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "<script" not in page and "<link" not in page
    for old, new in ((R1, R2), (R2, R3)):
        assert f'href="{DOC}/changes/{old}__{new}/report.html"' in page
    for when in (R1, R2, R3):
        assert f'href="bi/matrix/{DOC}__{when}.html"' in page
    assert f"Who does what in the latest revision ({R3})" in page
    assert 'class="matrix"' in page


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two sample revisions (their golden rows) stored and diffed as `extract` does, BI built."""
    root = tmp_path_factory.mktemp("store")
    document_dir = root / SAMPLE_DOC
    document_dir.mkdir()
    for sample in ("sample_10Feb20", "sample_2023-03-07"):
        data = expected(sample)
        rows = pd.DataFrame(data["rows"])
        activities = rows.assign(
            order=range(1, len(rows) + 1), pages="1",
            self_service_status=[parse_self_service(text) for text in rows["self_service"]],
        )
        revision = {key: data[key] for key in ("title", "subtitle", "revision_label", "revision_date",
                                                "revision_date_source")}
        revision |= {"document_id": SAMPLE_DOC, "source_file": f"{sample}.pdf", "source_sha256": "0" * 64,
                     "page_count": 3, "pipeline_version": "test"}
        save_revision(document_dir, revision, activities, pd.DataFrame(data["glossary"]))
    refresh_document(document_dir, SAMPLE_DOC)
    build_warehouse(root)
    return root


def test_every_link_of_the_front_page_resolves(extracted: Path) -> None:
    page = (extracted / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"#]+)"', page)
    assert len(hrefs) >= 12
    for href in hrefs:
        assert (extracted / href).exists(), href
    assert "5 in who is responsible" in page  # 9 changes planted, 5 change a party's part


# Appended to a copy of the page: where the timeline markers and the matrix are drawn.
MEASURE = """<script>
var box = function (el) { var r = el.getBoundingClientRect(); return [r.left, r.right, r.width]; };
var marks = Array.from(document.querySelectorAll('.timeline .rev')).map(box);
document.body.setAttribute('data-marks', JSON.stringify(marks));
document.body.setAttribute('data-width', document.documentElement.clientWidth);
var m = document.querySelector('table.matrix');
document.body.setAttribute('data-matrix', JSON.stringify([m.rows.length, m.getBoundingClientRect().height]));
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (.ci/run installs it)")
def test_the_reader_sees_the_whole_timeline_and_the_matrix(extracted: Path, tmp_path: Path) -> None:
    import json

    page = extracted / "measured.html"
    page.write_text((extracted / "index.html").read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"),
                    encoding="utf-8")
    result = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    marks = json.loads(re.search(r"data-marks=\"([^\"]+)\"", dom).group(1).replace("&quot;", '"'))
    width = float(re.search(r'data-width="([\d.]+)"', dom).group(1))
    assert len(marks) == 2
    assert all(left >= 0 and right <= width and w > 0 for left, right, w in marks), (marks, width)
    rows, height = json.loads(re.search(r"data-matrix=\"([^\"]+)\"", dom).group(1).replace("&quot;", '"'))
    assert rows == 1 + 33 + 4 and height > 300  # header, 33 activities, 4 phase rows


def test_the_parts_in_changes_csv_and_in_fact_change_agree(extracted: Path) -> None:
    from pipeline.bi.build import store_to_tables

    columns = ["responsibility_change", "lead_gained", "lead_lost", "support_gained", "support_lost"]
    stored = pd.read_csv(extracted / SAMPLE_DOC / "changes" / "2020-02-10__2023-03-07" / "changes.csv",
                         dtype=str, keep_default_na=False)
    fact = store_to_tables(extracted)["fact_change"]
    assert stored[columns].to_dict("records") == fact[columns].astype(str).to_dict("records")
    assert fact["responsibility_change"].sum() == 5
