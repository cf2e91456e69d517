"""A file path → its pages' layouts and the PDF's metadata, with every reader error turned into ours."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import (
    DamagedPdfError,
    EncryptedPdfError,
    JobAidError,
    LimitExceededError,
    NotAPdfError,
)
from pipeline.read.layout import PageLayout, page_to_layout
from pipeline.read.parallel import map_split
from pipeline.read.sandbox import extend_deadline, granted_cores

#: A PDF's "%PDF-" marker must start within this many leading bytes (mail gateways and exporters add junk).
MAGIC_WINDOW = 1024
MAGIC = b"%PDF-"
#: Documents with more pages than this are refused (a job aid is short).
DEFAULT_MAX_PAGES = 2000
#: A page with more characters than this is refused.
MAX_CHARS_PER_PAGE = 100_000
#: A long document is read by several processes at once in runs of at least this many pages.
MIN_PAGES_PER_PART = 4
#: The readers: pdfium (fast, the default) and pdfplumber (the reference).
READERS = ("pdfium", "pdfplumber")
DEFAULT_READER = "pdfium"
REFERENCE_READER = "pdfplumber"
#: --ocr: "auto" reads pages without a text layer by OCR, "force" also pages whose text layer is garbage.
OCR_MODES = ("auto", "off", "force")
#: Extra seconds a document may take for each page read by OCR (about 2 s a page are needed on 2 cores).
OCR_PAGE_SECONDS = 10.0
#: A text layer is garbage when less than this share of its characters are letters, digits or punctuation.
READABLE_SHARE = 0.6


@dataclass
class Document:
    """What the pipeline needs from a PDF file."""

    path: Path
    sha256: str
    layouts: list[PageLayout]
    metadata: dict[str, Any]
    ocr_angles: dict[int, float] = field(default_factory=dict)  # page read by OCR → skew turned back (degrees)
    ocr_engine: str = ""
    #: page number → (pixel width, point width) of each image on it (read by pdfplumber only; OCR needs it)
    page_images: dict[int, list[tuple[float, float]]] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return len(self.layouts)


def file_sha256(path: Path) -> str:
    """A file → the hex sha256 of its bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_is_pdf(path: Path) -> int:
    """A path → the offset of its "%PDF-" marker; NotAPdfError unless the file exists and has one near its start."""
    try:
        with path.open("rb") as handle:
            head = handle.read(MAGIC_WINDOW + len(MAGIC))
    except FileNotFoundError as exc:
        raise NotAPdfError(path, "file not found", "check the path") from exc
    except OSError as exc:
        raise NotAPdfError(path, f"cannot be read ({exc.strerror})", "check the file's permissions") from exc
    if not head:
        raise NotAPdfError(path, "is empty (0 bytes)", "download or export the PDF again")
    offset = head.find(MAGIC)
    if offset < 0:
        kind = _sniff(head)
        raise NotAPdfError(path, f"is not a PDF (it looks like {kind})", "export the document as PDF")
    return offset


def reader_source(path: Path, offset: int) -> Path | io.BytesIO:
    """A PDF path → what to hand the reader: the path, or its bytes from the marker on when junk precedes it.

    Readers count a PDF's offsets from its "%PDF-" marker; cutting the junk keeps them right.
    """
    if offset == 0:
        return path
    with path.open("rb") as handle:
        handle.seek(offset)
        return io.BytesIO(handle.read())


_DIRECT_LENGTH = re.compile(rb"/Length\s+(\d{1,19})(?!\s+\d+\s+R)")


def check_declared_lengths(path: Path) -> None:
    """Raise DamagedPdfError when a stream declares more bytes than the whole file holds (readers trust it)."""
    size = path.stat().st_size
    tail = b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            data = tail + block
            for match in _DIRECT_LENGTH.finditer(data):
                declared = int(match.group(1))
                if declared > size:
                    raise DamagedPdfError(
                        path, f"is damaged (a stream declares {declared} bytes in a {size}-byte file)",
                        "export or download it again")
            tail = data[-48:]


def _sniff(head: bytes) -> str:
    if head.startswith(b"\x89PNG"):
        return "a PNG image"
    if head.startswith(b"\xff\xd8"):
        return "a JPEG image"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive or Office document"
    lowered = head[:200].lower()
    if b"<html" in lowered or b"<!doctype" in lowered:
        return "an HTML page"
    try:
        head.decode("utf-8")
        return "plain text"
    except UnicodeDecodeError:
        return "binary data"


def read_document(path: Path, password: str | None = None, max_pages: int = DEFAULT_MAX_PAGES,
                  reader: str = DEFAULT_READER, ocr: str = "auto") -> Document:
    """A PDF path → its page layouts (each page closed after reading; pages without usable text by OCR) and metadata.

    pdfium reads by default; pdfplumber, the reference, reads what pdfium cannot describe the same way
    (see pdfium.py) and every file pdfium fails to open, so that errors are classified as before.
    """
    if reader not in READERS:
        raise ValueError(f"unknown reader {reader!r}")
    offset = check_is_pdf(path)
    check_declared_lengths(path)
    document = None
    if reader == "pdfium" and offset == 0:  # junk before the marker: pdfplumber, handed the bytes from it on
        document = read_with_pdfium(path, password, max_pages)
    if document is None:
        document = read_with_pdfplumber(path, password, max_pages, offset)
    wanted = pages_to_ocr(document.layouts, ocr)
    if wanted:
        if not document.page_images:  # read by pdfium: the reference reader knows the scanned images' sizes
            document = read_with_pdfplumber(path, password, max_pages, offset)
        try:
            read_by_ocr(document, password, {n: document.page_images.get(n, []) for n in wanted})
        except (JobAidError, RecursionError):
            raise
        except MemoryError as exc:
            raise LimitExceededError(path, "needs more memory than allowed to read by OCR",
                                     "this file cannot be read safely") from exc
        except Exception as exc:  # the renderer or the OCR engine failed on a damaged page
            raise DamagedPdfError(path, f"could not be read by OCR ({_describe(exc)})",
                                  "export or scan it again") from exc
    return document


def read_with_pdfium(path: Path, password: str | None, max_pages: int) -> Document | None:
    """A PDF path → its document read by pdfium, or None when pdfium cannot open it or read it as pdfplumber would."""
    import pypdfium2 as pdfium

    from pipeline.read.pdfium import NotReproducible, TooManyChars

    try:
        pdf = pdfium.PdfDocument(str(path), password=password or None)
    except Exception:  # unreadable, encrypted, damaged: the reference reader says which
        return None
    try:
        if not pdfium.raw.FPDF_DocumentHasValidCrossReferenceTable(pdf.raw):
            return None  # pdfium rebuilt a damaged file its own way; pdfminer's reading of it is the reference
        count = len(pdf)
        if count > max_pages:
            raise LimitExceededError(path, f"declares {count} pages (limit {max_pages})",
                                     "raise --max-pages if this is really a job aid")
        if count == 0:
            return None
        layouts = read_pdfium_pages(pdf, path, password, count, granted_cores())
        metadata = {key: value for key, value in pdf.get_metadata_dict(skip_empty=True).items()}
    except TooManyChars as exc:
        raise LimitExceededError(path, f"page {exc.page} has {exc.count} characters (limit {MAX_CHARS_PER_PAGE})",
                                 "this is not a job aid") from exc
    except NotReproducible:
        return None
    except (RecursionError, MemoryError) as exc:
        raise LimitExceededError(path, f"is too deeply nested or too large ({type(exc).__name__})",
                                 "this file cannot be read safely") from exc
    except JobAidError:
        raise
    except Exception:  # pdfium raised on a page: the reference reader classifies the damage
        return None
    finally:
        pdf.close()
    return Document(path, file_sha256(path), layouts, metadata)


def page_runs(count: int, cores: int) -> list[range]:
    """A page count and the cores free → the runs of page indexes to read side by side (one run when short)."""
    parts = max(1, min(cores, count // MIN_PAGES_PER_PART))
    return [range(count * i // parts, count * (i + 1) // parts) for i in range(parts)]


def read_pdfium_pages(pdf: Any, path: Path, password: str | None, count: int, cores: int) -> list[PageLayout]:
    """An open pypdfium2 document of `count` pages → its page layouts, in page order; a long document is split
    into runs of pages read side by side by up to `cores` processes (each helper opens the file itself).

    A run a helper could not read is read here, so errors surface in page order as when reading alone.
    """
    from pipeline.read.pdfium import pdfium_page_to_layout

    runs = page_runs(count, cores)

    def read_run(pages: range) -> list[PageLayout]:
        if pages is runs[0]:
            return [pdfium_page_to_layout(pdf, index, MAX_CHARS_PER_PAGE) for index in pages]
        return _read_pdfium_run(path, password, pages)

    layouts: list[PageLayout] = []
    for pages, read in zip(runs, map_split(read_run, runs), strict=True):
        layouts += read if read is not None else [pdfium_page_to_layout(pdf, i, MAX_CHARS_PER_PAGE) for i in pages]
    return layouts


def _read_pdfium_run(path: Path, password: str | None, pages: range) -> list[PageLayout]:
    """A PDF path and a run of page indexes → their layouts, read by pdfium in a document opened for them."""
    import pypdfium2 as pdfium

    from pipeline.read.pdfium import pdfium_page_to_layout

    pdf = pdfium.PdfDocument(str(path), password=password or None)
    try:
        return [pdfium_page_to_layout(pdf, index, MAX_CHARS_PER_PAGE) for index in pages]
    finally:
        pdf.close()


def read_with_pdfplumber(path: Path, password: str | None = None, max_pages: int = DEFAULT_MAX_PAGES,
                         offset: int = 0) -> Document:
    """A checked PDF path and where its marker is → its document read by pdfplumber (the reference reader),
    every reader error turned into ours."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(reader_source(path, offset), password=password or "") as pdf:
            declared = declared_page_count(pdf)
            if declared is not None and declared > max_pages:
                raise LimitExceededError(path, f"declares {declared} pages (limit {max_pages})",
                                         "raise --max-pages if this is really a job aid")
            count = len(pdf.pages)
            if count == 0:
                raise DamagedPdfError(path, "has no pages", "export the document again")
            if count > max_pages:
                raise LimitExceededError(path, f"has {count} pages (limit {max_pages})",
                                         "raise --max-pages if this is really a job aid")
            layouts: list[PageLayout] = []
            scans: dict[int, list[tuple[float, float]]] = {}
            runs = page_runs(count, granted_cores())

            def read_run(pages: range) -> list[tuple[PageLayout, list[tuple[float, float]]]]:
                if pages is runs[0]:
                    return [_pdfplumber_page(path, pdf.pages[i]) for i in pages]
                return _read_pdfplumber_run(path, password, offset, pages)

            for pages, read in zip(runs, map_split(read_run, runs), strict=True):
                for layout, images in read if read is not None else [_pdfplumber_page(path, pdf.pages[i])
                                                                     for i in pages]:
                    layouts.append(layout)
                    scans[layout.number] = images
            metadata = dict(pdf.metadata or {})
        document = Document(path, file_sha256(path), layouts, metadata, page_images=scans)
    except JobAidError:
        raise
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in type(cause).__name__.lower():
            advice = "the password given is wrong" if password else "pass --password"
            raise EncryptedPdfError(path, "is password-protected", advice) from exc
        if isinstance(cause, MemoryError):
            raise LimitExceededError(path, "needs more memory than allowed to read",
                                     "this file cannot be read safely") from exc
        raise DamagedPdfError(path, f"is damaged ({_describe(cause)})", "export or download it again") from exc
    except (RecursionError, MemoryError) as exc:
        raise LimitExceededError(path, f"is too deeply nested or too large ({type(exc).__name__})",
                                 "this file cannot be read safely") from exc
    except Exception as exc:  # pdfminer raises bare TypeError, KeyError, ... on malformed files
        raise DamagedPdfError(path, f"is damaged ({_describe(exc)})", "export or download it again") from exc
    return document


def _pdfplumber_page(path: Path, page: Any) -> tuple[PageLayout, list[tuple[float, float]]]:
    """A pdfplumber page → its layout and the (pixel width, point width) of its images; the page closed after."""
    if len(page.chars) > MAX_CHARS_PER_PAGE:
        raise LimitExceededError(path, f"page {page.page_number} has {len(page.chars)} characters "
                                 f"(limit {MAX_CHARS_PER_PAGE})", "this is not a job aid")
    layout = page_to_layout(page)
    images = [(float(im["srcsize"][0]), float(im["width"])) for im in page.images]
    page.close()
    return layout, images


def _read_pdfplumber_run(path: Path, password: str | None, offset: int,
                         pages: range) -> list[tuple[PageLayout, list[tuple[float, float]]]]:
    """A PDF path and a run of page indexes → their layouts and image sizes, read by pdfplumber in a document
    opened for them."""
    import pdfplumber

    with pdfplumber.open(reader_source(path, offset), password=password or "") as pdf:
        return [_pdfplumber_page(path, pdf.pages[i]) for i in pages]


def text_is_garbage(layout: PageLayout) -> bool:
    """Whether a page's text layer is unreadable (glyphs without a Unicode map: private-use codes, "(cid:12)")."""
    text = "".join(w.text for ln in layout.lines for w in ln.words)
    if not text:
        return False
    text = re.sub(r"\(cid:\d+\)", "\ufffd", text)
    readable = sum(1 for ch in text if unicodedata.category(ch)[0] in "LNP" and ch != "\ufffd")
    return readable < READABLE_SHARE * len(text)


def pages_to_ocr(layouts: list[PageLayout], mode: str) -> list[int]:
    """Page layouts and the --ocr mode → the numbers of the pages to read by OCR."""
    if mode == "off":
        return []
    return [lay.number for lay in layouts
            if (lay.char_count == 0 and lay.image_count) or (mode == "force" and text_is_garbage(lay))]


def read_by_ocr(document: Document, password: str | None, images: dict[int, list[tuple[float, float]]]) -> None:
    """A document and its pages to OCR (with their images' pixel and point widths) → those pages' layouts replaced."""
    from pipeline.read.ocr import engine_version
    from pipeline.read.scan import native_dpi, scan_pages

    extend_deadline(len(images) * OCR_PAGE_SECONDS)
    sizes = {lay.number: (lay.width, lay.height) for lay in document.layouts}
    wanted = {n: native_dpi(sizes[n][0], found) for n, found in images.items()}
    for number, scanned in scan_pages(document.path, password, wanted, sizes).items():
        document.layouts[number - 1] = scanned.layout
        document.ocr_angles[number] = scanned.angle
    document.ocr_engine = engine_version()


def declared_page_count(pdf: Any) -> int | None:
    """An open PDF → the page count its page tree declares (read before building any page), if readable."""
    from pdfminer.pdftypes import resolve1

    try:
        pages = resolve1(pdf.doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    except Exception:  # a broken tree is found out when pages are built
        return None
    return count if isinstance(count, int) else None


def _describe(exc: BaseException | object) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"{name}: {text[:120]}" if text else name
