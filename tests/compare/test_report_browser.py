"""The HTML change report as a reader sees it: rendered by headless Chromium, with its filter used."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import RAW, run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (.ci/run installs it)")

# Appended to a copy of the report: untick "Added" the way a reader would, then count visible rows.
CLICK = """<script>
var box = document.querySelector('input[data-kind="added"]');
box.click();
var rows = Array.from(document.querySelectorAll('tr[data-change]'));
var visible = rows.filter(function (r) { return r.offsetParent !== null; });
document.body.setAttribute('data-visible', visible.length);
document.body.setAttribute('data-total', rows.length);
</script>"""


def render(page: Path) -> str:
    """A local HTML file → the DOM after Chromium ran its scripts (no network)."""
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={page.parent / 'profile'}",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("diff")
    result = run_cli("jobaid", "diff", str(RAW / "end-customer-support_10Feb20.pdf"),
                     str(RAW / "end-customer-support_2023-03-07.pdf"), "--output", str(out))
    assert result.returncode == 0, result.stderr
    return out / "report.html"


def test_reader_sees_counts_and_highlighted_words(report: Path) -> None:
    dom = render(report)
    assert "Responsibility shifts" in dom
    assert re.search(r"<ins>[^<]+</ins>", dom) and re.search(r"<del>[^<]+</del>", dom)
    assert "Equinix Customer Success" in dom


def test_unticking_a_change_type_hides_its_rows(report: Path, tmp_path: Path) -> None:
    page = tmp_path / "clicked.html"
    page.write_text(report.read_text(encoding="utf-8").replace("</body>", CLICK + "</body>"), encoding="utf-8")
    dom = render(page)
    visible = int(re.search(r'data-visible="(\d+)"', dom).group(1))
    total = int(re.search(r'data-total="(\d+)"', dom).group(1))
    added = len(re.findall(r'<tr[^>]*data-change="added"', dom))
    assert added >= 1
    assert visible == total - added
