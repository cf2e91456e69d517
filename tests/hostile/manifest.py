"""What each hostile file is and which error the guarded reader must turn it into.

``CASES[name].kind`` is the expected ``JobAidError.kind`` (see ``pipeline/errors.py``);
``also_ok`` lists other kinds that are defensible for that file (the guarded reader's choice).
``password`` opens an encrypted file, and ``kind_with_password`` is what it is once opened.
``large`` files are not committed: ``generate.make_large(outdir)`` writes them on demand.

The comment above each entry (and ``today``) records what plain pdfplumber 0.11.10 /
pdfminer.six 20260107 does with the file when nothing guards it: ``pdfplumber.open`` then
``extract_text``, ``extract_tables`` and ``.annots`` on every page, each file in a subprocess
under ``ulimit -v 4000000`` and ``timeout 20`` (``probe.py`` beside this file re-runs it).
Times are wall seconds for the whole subprocess on the 2-core dev machine, ~0.1 s of which is
Python start-up and imports; RSS is the child's peak. "PdfminerException(X)" means pdfplumber's
``pdfplumber.utils.exceptions.PdfminerException`` wrapping pdfminer's ``X`` as ``args[0]``
(``str()`` of it is X's message, empty for the password errors).
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_A_PDF = "not-a-pdf"
DAMAGED = "damaged-pdf"
ENCRYPTED = "encrypted-pdf"
SCANNED = "scanned-pdf"
NOT_A_JOB_AID = "not-a-job-aid"
LIMIT = "limit-exceeded"

KINDS = frozenset({NOT_A_PDF, DAMAGED, ENCRYPTED, SCANNED, NOT_A_JOB_AID, LIMIT})

#: Page cap the large many_pages.pdf is meant to exceed.
DEFAULT_PAGE_CAP = 2_000


@dataclass(frozen=True)
class HostileCase:
    name: str
    kind: str
    today: str
    password: str | None = None
    kind_with_password: str | None = None
    large: bool = False
    also_ok: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for kind in (self.kind, *self.also_ok, self.kind_with_password or self.kind):
            if kind not in KINDS:
                raise ValueError(f"{self.name}: unknown kind {kind!r}")

    def accepts(self, kind: str) -> bool:
        """True if `kind` is the expected kind or one of the defensible alternatives."""
        return kind == self.kind or kind in self.also_ok


_ROOT_MISSING = 'PdfminerException(PDFSyntaxError "No /Root object! - Is this really a PDF?")'

_CASES = [
    # ---- not a PDF at all -------------------------------------------------------------------
    # 0 bytes. pdfplumber.open raises PdfminerException(PDFSyntaxError "No /Root object! - Is
    # this really a PDF?") in 0.1 s.
    HostileCase("empty.pdf", NOT_A_PDF, today=f"open raises {_ROOT_MISSING}, 0.1 s"),
    # Plain text. Same as empty.pdf: PdfminerException(PDFSyntaxError No /Root), 0.1 s.
    HostileCase("text_renamed.pdf", NOT_A_PDF, today=f"open raises {_ROOT_MISSING}, 0.1 s"),
    # An HTML page. Same: PdfminerException(PDFSyntaxError No /Root), 0.1 s.
    HostileCase("html_renamed.pdf", NOT_A_PDF, today=f"open raises {_ROOT_MISSING}, 0.1 s"),
    # A real 8x8 PNG. Same: PdfminerException(PDFSyntaxError No /Root), 0.1 s.
    HostileCase("png_renamed.pdf", NOT_A_PDF, today=f"open raises {_ROOT_MISSING}, 0.1 s"),
    # A real minimal .docx (ZIP with [Content_Types].xml). Same: PdfminerException(No /Root).
    HostileCase("docx_renamed.pdf", NOT_A_PDF, today=f"open raises {_ROOT_MISSING}, 0.1 s"),
    # 2,000 bytes of binary junk, then a valid one-page text PDF. The header is past the first
    # 1,024 bytes, so by the sniffing rule it is not a PDF -- but pdfplumber TODAY OPENS IT
    # FINE (pdfminer's fallback scans the whole file for objects): 1 page, the text extracts,
    # 0.1 s. The guarded reader must check the header itself to give not-a-pdf.
    HostileCase(
        "junk_before_header_2000.pdf",
        NOT_A_PDF,
        today="opens, 1 page, text extracted (376 chars), 0.1 s: no error at all",
    ),
    # ---- damaged structure ------------------------------------------------------------------
    # Just "%PDF-1.7\n". PdfminerException(PDFSyntaxError No /Root), 0.1 s. It has a PDF
    # header, so damaged-pdf; not-a-pdf is defensible too.
    HostileCase(
        "header_only.pdf",
        DAMAGED,
        today=f"open raises {_ROOT_MISSING}, 0.1 s",
        also_ok=(NOT_A_PDF,),
    ),
    # A valid text PDF cut at half its length (inside the content stream).
    # PdfminerException(PSEOF "Unexpected EOF") from open, 0.1 s.
    HostileCase(
        "truncated_half.pdf",
        DAMAGED,
        today='open raises PdfminerException(PSEOF "Unexpected EOF"), 0.1 s',
    ),
    # Objects and xref table intact, file ends just before the "trailer" keyword (no trailer,
    # no startxref, no %%EOF). PdfminerException(PDFSyntaxError No /Root), 0.1 s.
    HostileCase(
        "truncated_before_trailer.pdf", DAMAGED, today=f"open raises {_ROOT_MISSING}, 0.1 s"
    ),
    # The xref table overwritten with junk of the same length; trailer and startxref intact.
    # PdfminerException(PDFSyntaxError No /Root), 0.1 s (the fallback scan does not rescue it).
    HostileCase("garbage_xref.pdf", DAMAGED, today=f"open raises {_ROOT_MISSING}, 0.1 s"),
    # Catalog -> /Pages << /Kids [] /Count 0 >>. Opens, len(pdf.pages) == 0, no error, 0.1 s.
    # A document without a single page: damaged-pdf; not-a-job-aid is defensible.
    HostileCase(
        "zero_pages.pdf",
        DAMAGED,
        today="opens, 0 pages, no error, 0.1 s",
        also_ok=(NOT_A_JOB_AID,),
    ),
    # A text page without /MediaBox anywhere (required, not inherited). pdfminer logs
    # "MediaBox missing ... defaulting to US Letter", but pdfplumber's Page.__init__ then
    # raises a bare builtins.TypeError "'NoneType' object is not iterable" (page.py:166) on
    # the first access to pdf.pages -- not a PdfminerException. 0.1 s. Unreadable by
    # pdfplumber, so damaged-pdf; not-a-job-aid if the guarded reader repairs the box.
    HostileCase(
        "missing_mediabox.pdf",
        DAMAGED,
        today="pdf.pages raises builtins.TypeError 'NoneType' object is not iterable, 0.1 s",
        also_ok=(NOT_A_JOB_AID,),
    ),
    # A text page with /MediaBox [0 0 612]. pdfminer logs "Invalid MediaBox ... defaulting to
    # US Letter", then pdfplumber's Page.__init__ raises a bare builtins.IndexError "list
    # index out of range" (page.py:171) on pdf.pages. 0.1 s. Same reasoning as above.
    HostileCase(
        "three_number_mediabox.pdf",
        DAMAGED,
        today="pdf.pages raises builtins.IndexError list index out of range, 0.1 s",
        also_ok=(NOT_A_JOB_AID,),
    ),
    # The root /Pages node lists itself in /Kids (after one real text page). pdfminer's
    # depth-first page walk keeps a visited set and silently skips the cycle: opens, 1 page,
    # text extracted, no error, 0.1 s. Brief asks for damaged-pdf; not-a-job-aid is what a
    # reader that trusts pdfminer will say.
    HostileCase(
        "page_tree_cycle.pdf",
        DAMAGED,
        today="opens, 1 page, text extracted, no error (cycle silently skipped), 0.1 s",
        also_ok=(NOT_A_JOB_AID,),
    ),
    # Form XObject A draws B, B draws A, the page draws A. No hang: pdfminer logs "Refusing
    # to execute circular reference to content stream 5" and stops; 1 page, text
    # 'ffoorrmm AB' (both forms' label overprinted, 12 chars), no error, 0.1 s.
    HostileCase(
        "circular_xobjects.pdf",
        NOT_A_JOB_AID,
        today="opens, 1 page, 12 chars, pdfminer refuses the cycle (log warning), 0.1 s",
        also_ok=(DAMAGED,),
    ),
    # The trailer's /Prev points at its own xref table. pdfplumber.open raises
    # PdfminerException(RecursionError "maximum recursion depth exceeded") in 0.2 s (pdfminer
    # follows /Prev recursively with no seen-set; ~1,000 frames, no hang).
    HostileCase(
        "circular_prev.pdf",
        DAMAGED,
        today="open raises PdfminerException(RecursionError), 0.2 s",
        # Under the reader's memory cap the runaway recursion exhausts memory first.
        also_ok=(LIMIT,),
    ),
    # The content stream declares /Length 2147483647 (true length ~330). No error: pdfminer
    # loses the stream object (doc.getobj(5) -> PDFObjectNotFound internally), page.page_obj
    # .contents == [None], the page comes out EMPTY: 0 chars, 0 images, 0.1 s. A naive reader
    # would call it blank (or scanned); it must not be scanned-pdf.
    HostileCase(
        "huge_declared_length.pdf",
        DAMAGED,
        today="opens, 1 page, content silently lost: 0 chars, no error, 0.1 s",
        # The reader checks declared lengths against the file size before parsing: damaged-pdf.
        also_ok=(),
    ),
    # A Flate content stream: 200,000 '[' then 200,000 ']' then the text. pdfminer's parser
    # is iterative, so no recursion error: opens, text extracted (376 chars), no error, 1.0 s,
    # 67 MB RSS. Brief asks for damaged-pdf (needs a nesting-depth guard); not-a-job-aid is
    # what an unguarded reader gives.
    HostileCase(
        "nested_arrays.pdf",
        DAMAGED,
        today="opens, text extracted, no error, 1.0 s, 67 MB",
        also_ok=(NOT_A_JOB_AID,),
    ),
    # 40,000 nested arrays as the page's /Annots object (80 KB, uncompressed). open,
    # extract_text and extract_tables all work (376 chars); page.annots (and so
    # page.hyperlinks) raises pdfplumber.utils.exceptions.MalformedPDFException wrapping
    # RecursionError "maximum recursion depth exceeded in __instancecheck__". 0.3 s.
    HostileCase(
        "nested_arrays_object.pdf",
        DAMAGED,
        today="text/tables fine; page.annots raises MalformedPDFException(RecursionError), 0.3 s",
        also_ok=(NOT_A_JOB_AID,),
    ),
    # ---- encrypted --------------------------------------------------------------------------
    # RC4 128-bit (V2 R3), user password "user", owner "owner-rc4". Without a password:
    # PdfminerException(PDFPasswordIncorrect) from open, empty str(), 0.1 s. With "user" (or
    # "owner-rc4"): opens, 1 text page that is not a job aid, 0.1 s.
    HostileCase(
        "encrypted_rc4_user.pdf",
        ENCRYPTED,
        today="open raises PdfminerException(PDFPasswordIncorrect), 0.1 s; opens with 'user'",
        password="user",
        kind_with_password=NOT_A_JOB_AID,
    ),
    # AES-256 (V5 R6, PDF 2.0), user password "user", owner "owner-aes". Same as RC4: no
    # password -> PdfminerException(PDFPasswordIncorrect), 0.1 s; "user" opens, 0.1 s.
    HostileCase(
        "encrypted_aes256_user.pdf",
        ENCRYPTED,
        today="open raises PdfminerException(PDFPasswordIncorrect), 0.1 s; opens with 'user'",
        password="user",
        kind_with_password=NOT_A_JOB_AID,
    ),
    # RC4 128 with an owner password ("owner-only") and an empty user password: opens without
    # a password, 1 text page (not a job aid), no error, 0.1 s.
    HostileCase(
        "encrypted_owner_only.pdf",
        NOT_A_JOB_AID,
        today="opens without a password, 1 text page, no error, 0.1 s",
    ),
    # ---- readable, but not a job aid / scanned ----------------------------------------------
    # 500 bytes of binary junk, then a valid text PDF (header within the first 1,024 bytes).
    # Opens, 1 page, text extracted (376 chars), no error, 0.1 s.
    HostileCase(
        "junk_before_header_500.pdf",
        NOT_A_JOB_AID,
        today="opens, 1 page, text extracted, no error, 0.1 s",
    ),
    # 3 pages with empty content streams and no resources. Opens, 3 pages, 0 chars, 0 images,
    # no error, 0.1 s. Neither text nor images, so not a scan: not-a-job-aid.
    HostileCase(
        "blank_pages.pdf",
        NOT_A_JOB_AID,
        today="opens, 3 pages, 0 chars, 0 images, no error, 0.1 s",
    ),
    # One page that is only a 300x400 greyscale image (dark "text" bars), no text at all.
    # Opens, 1 page, 0 chars, len(page.images) == 1, no error, 0.1 s.
    HostileCase(
        "image_only_scan.pdf",
        SCANNED,
        today="opens, 1 page, 0 chars, 1 image, no error, 0.1 s",
    ),
    # An ordinary letter (fpdf2): paragraphs plus a 5x3 opening-hours table. Opens, 655 chars,
    # extract_tables finds the table, no error, 0.1 s.
    HostileCase(
        "valid_not_job_aid.pdf",
        NOT_A_JOB_AID,
        today="opens, 1 page, text and one 5x3 table extracted, no error, 0.1 s",
    ),
    # ---- resource exhaustion ----------------------------------------------------------------
    # One content stream, /Filter [/FlateDecode /FlateDecode], 2.4 KB that inflates to 1 GiB
    # of NUL bytes. open and pdf.pages are instant; page.extract_text() HANGS: killed by
    # timeout 20 s with 2.1 GB RSS (the inflated 1 GiB plus a copy), and still running at
    # 400 s (RSS back to ~1.1 GB while pdfminer tokenises a gigabyte of whitespace). Under
    # ulimit -v 4000000 it never hits MemoryError; a lower limit would.
    HostileCase(
        "flate_bomb.pdf",
        LIMIT,
        today="extract_text hangs: timeout 20 s at 2.1 GB RSS",
    ),
    # 200,000 characters on one page (400 Tj lines of 500 chars at 1 pt), Flate, 1.6 KB.
    # Opens, len(page.chars) == 200,000; extract_text+extract_tables finish in 5.5 s at
    # 446 MB RSS, no error. Over any sane per-page char cap: limit-exceeded; not-a-job-aid is
    # what an unguarded reader gives.
    HostileCase(
        "many_chars_one_page.pdf",
        LIMIT,
        today="opens, 200,000 chars; extraction 5.5 s, 446 MB RSS, no error",
        also_ok=(NOT_A_JOB_AID,),
    ),
    # ---- large: generate.make_large(outdir), never committed ---------------------------------
    # 20,000 one-line text pages, 3.2 MB. open is fast and len(pdf.pages) == 20,000 within
    # ~1 s; extracting every page is ~250-450 pages/s with RSS growing (~650 MB by page
    # 5,000): killed by timeout 20 s after 5,000-9,500 pages. Given 400 s it finishes, no
    # error: 87 s, 2.2 GB peak RSS (pdfplumber keeps every parsed page). Over the 2,000 cap.
    HostileCase(
        "many_pages.pdf",
        LIMIT,
        today="20,000 pages open; extracting all: timeout 20 s after ~5,000-9,500 pages",
        large=True,
    ),
    # One ~4.2 MB Flate content stream (text + incompressible comment lines) whose adler32
    # trailer is flipped. zlib.decompress fails, pdfminer falls back to decompress_corrupted(),
    # which feeds zlib ONE BYTE AT A TIME and grows a bytes object by += (quadratic):
    # page.extract_text() HANGS, killed by timeout 20 s at only 42 MB RSS. Measured on that
    # function alone: 1 MB takes 22 s, so the 4 MB here would take roughly 5-6 minutes.
    HostileCase(
        "corrupt_flate_checksum.pdf",
        DAMAGED,
        today="extract_text hangs (byte-by-byte fallback inflate): timeout 20 s, 42 MB RSS",
        large=True,
        also_ok=(LIMIT,),
    ),
]

CASES: dict[str, HostileCase] = {case.name: case for case in _CASES}

#: File names written by default into tests/hostile/files/ (committed).
SMALL_NAMES: tuple[str, ...] = tuple(c.name for c in _CASES if not c.large)
#: File names written only by generate.make_large(outdir).
LARGE_NAMES: tuple[str, ...] = tuple(c.name for c in _CASES if c.large)
