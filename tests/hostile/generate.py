"""Generate hostile and broken input files for the robustness tests.

Usage::

    python tests/hostile/generate.py [OUTDIR]          # small files (default tests/hostile/files/)
    python tests/hostile/generate.py --large OUTDIR    # also the large ones (never the default)

Every file is deterministic: the same bytes on every run and every machine (no clock, no
``os.urandom``; pseudo-random bytes come from SHAKE-256 of a fixed seed). Most files are
written by hand with :class:`RawPdf`, which assembles numbered objects and computes a correct
xref table, so that each case can break exactly one thing. fpdf2 makes the few valid base
documents where that is simpler (encryption, the ordinary letter with a table).

The expected error class of each file is in ``manifest.py`` beside this file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUTDIR = HERE / "files"

#: Fixed date for fpdf2 documents, so their /CreationDate and /ID never change.
FIXED_DATE = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)

#: Text of an ordinary page that is plainly not a job aid.
NOT_A_JOB_AID_LINES = (
    "Riverside Allotment Society - minutes of the spring meeting",
    "Present: eleven members. Apologies from the treasurer.",
    "1. The water butts on the north plots will be replaced before May.",
    "2. The compost bays need turning; volunteers signed up on the board.",
    "3. The summer show will be held on the last Saturday of July.",
    "Next meeting: the first Tuesday of next month, in the pavilion.",
)


def pseudo_random(seed: str, size: int) -> bytes:
    """`size` deterministic pseudo-random bytes derived from `seed`."""
    return hashlib.shake_256(seed.encode()).digest(size)


# --------------------------------------------------------------------------------------------
# Raw PDF assembly
# --------------------------------------------------------------------------------------------


def pdf_string(text: str) -> bytes:
    """A PDF literal string, escaped: ``(text)``."""
    raw = text.encode("latin-1")
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + raw + b")"


@dataclass
class Built:
    """A serialised PDF plus where its parts start, so a case can cut or overwrite them."""

    data: bytes
    offsets: dict[int, int]  # object number -> byte offset of "N 0 obj"
    xref_pos: int  # offset of the "xref" keyword
    trailer_pos: int  # offset of the "trailer" keyword
    startxref_pos: int  # offset of the "startxref" keyword


class RawPdf:
    """Numbered objects written by hand, serialised with a correct classic xref table."""

    def __init__(self, version: str = "1.7") -> None:
        self.version = version
        self.objects: dict[int, bytes] = {}
        self._next = 1

    def reserve(self) -> int:
        """A new object number whose body is set later with :meth:`set`."""
        num = self._next
        self._next += 1
        return num

    def set(self, num: int, body: bytes) -> int:
        self.objects[num] = body
        return num

    def add(self, body: bytes) -> int:
        return self.set(self.reserve(), body)

    @staticmethod
    def stream_body(data: bytes, extra: bytes = b"", length: int | None = None) -> bytes:
        """A stream object body; `length` overrides the true /Length (to lie about it)."""
        declared = len(data) if length is None else length
        head = b"<< /Length %d %s>>\nstream\n" % (declared, extra + b" " if extra else b"")
        return head + data + b"\nendstream"

    def add_stream(self, data: bytes, extra: bytes = b"", length: int | None = None) -> int:
        return self.add(self.stream_body(data, extra, length))

    def build(
        self,
        root: int,
        trailer_extra: bytes | Callable[[int], bytes] = b"",
    ) -> Built:
        """Serialise; `trailer_extra` may depend on the xref offset (for /Prev tricks)."""
        out = bytearray(b"%PDF-" + self.version.encode() + b"\n%\xe2\xe3\xcf\xd3\n")
        offsets: dict[int, int] = {}
        for num in sorted(self.objects):
            offsets[num] = len(out)
            out += b"%d 0 obj\n" % num + self.objects[num] + b"\nendobj\n"
        size = max(self.objects) + 1
        xref_pos = len(out)
        out += b"xref\n0 %d\n" % size
        for num in range(size):
            if num in offsets:
                out += b"%010d 00000 n \n" % offsets[num]
            else:
                out += b"0000000000 65535 f \n"
        extra = trailer_extra(xref_pos) if callable(trailer_extra) else trailer_extra
        trailer_pos = len(out)
        out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (
            size,
            root,
            extra + b" " if extra else b"",
        )
        startxref_pos = len(out)
        out += b"startxref\n%d\n%%%%EOF\n" % xref_pos
        return Built(bytes(out), offsets, xref_pos, trailer_pos, startxref_pos)


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
LETTER = b"[0 0 612 792]"


def text_ops(
    lines: tuple[str, ...] | list[str], x: int = 72, y: int = 720, size: int = 11
) -> bytes:
    """Content-stream operators that show `lines` in Helvetica, one under another."""
    ops = [b"BT", b"/F1 %d Tf" % size, b"%d TL" % (size + 3), b"%d %d Td" % (x, y)]
    ops += [pdf_string(line) + b" Tj T*" for line in lines]
    ops.append(b"ET")
    return b"\n".join(ops) + b"\n"


def text_pdf(
    lines: tuple[str, ...] | list[str] = NOT_A_JOB_AID_LINES,
    *,
    mediabox: bytes | None = LETTER,
    pages: int = 1,
) -> RawPdf:
    """A valid document of `pages` identical text pages (mediabox None: no /MediaBox at all)."""
    pdf = RawPdf()
    catalog, tree, font = pdf.reserve(), pdf.reserve(), pdf.reserve()
    pdf.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    pdf.set(font, HELVETICA)
    content = pdf.add_stream(text_ops(lines))
    box = b" /MediaBox " + mediabox if mediabox is not None else b""
    kids = []
    for _ in range(pages):
        kids.append(
            pdf.add(
                b"<< /Type /Page /Parent %d 0 R%s /Resources << /Font << /F1 %d 0 R >> >> "
                b"/Contents %d 0 R >>" % (tree, box, font, content)
            )
        )
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    pdf.set(tree, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids)))
    return pdf


def one_page_pdf(
    content: bytes,
    content_extra: bytes = b"",
    resources: bytes | None = None,
    length: int | None = None,
) -> Built:
    """A one-page document whose single content stream is `content` (with /Filter etc.)."""
    pdf = RawPdf()
    catalog, tree, page, font = pdf.reserve(), pdf.reserve(), pdf.reserve(), pdf.reserve()
    pdf.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    pdf.set(tree, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    pdf.set(font, HELVETICA)
    stream = pdf.add_stream(content, content_extra, length)
    res = resources if resources is not None else b"<< /Font << /F1 %d 0 R >> >>" % font
    pdf.set(
        page,
        b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources %s /Contents %d 0 R >>"
        % (tree, LETTER, res, stream),
    )
    return pdf.build(catalog)


def valid_text_pdf() -> bytes:
    return text_pdf().build(1).data


# --------------------------------------------------------------------------------------------
# Not a PDF at all
# --------------------------------------------------------------------------------------------


def png_bytes(width: int = 8, height: int = 8) -> bytes:
    """A real, valid greyscale PNG (a diagonal gradient)."""

    def chunk(tag: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(tag + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", crc)

    rows = b"".join(
        b"\x00" + bytes((x + y) * 255 // (width + height - 2) for x in range(width))
        for y in range(height)
    )
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def docx_bytes() -> bytes:
    """A real, minimal Word document: a ZIP with [Content_Types].xml, fixed timestamps."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>This is a Word document, not a PDF.</w:t></w:r></w:p>"
            "</w:body></w:document>"
        ),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text)
    return buf.getvalue()


def case_empty() -> bytes:
    return b""


def case_text_renamed() -> bytes:
    return (
        b"Job aid - quarterly process\n"
        b"This is a plain text file that someone saved with a .pdf extension.\n"
        b"Phase\tActivity\tOwner\n"
        b"Plan\tAgree the scope\tAccount manager\n"
    )


def case_html_renamed() -> bytes:
    return (
        b'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        b"<title>Job aid</title></head>\n<body>\n<h1>Job aid</h1>\n"
        b"<p>This page was downloaded from a portal and saved as .pdf.</p>\n"
        b"<table><tr><th>Phase</th><th>Activity</th></tr>"
        b"<tr><td>Plan</td><td>Agree the scope</td></tr></table>\n</body>\n</html>\n"
    )


def case_png_renamed() -> bytes:
    return png_bytes()


def case_docx_renamed() -> bytes:
    return docx_bytes()


def case_header_only() -> bytes:
    return b"%PDF-1.7\n"


def junk(size: int) -> bytes:
    """`size` bytes of binary junk that never contains a PDF header or keyword."""
    data = bytearray(pseudo_random("junk-before-header", size))
    # No '%' at all, so no "%PDF-" or "%%EOF" can appear by chance.
    return bytes(b if b != ord("%") else ord("#") for b in data)


def case_junk_before_header_500() -> bytes:
    return junk(500) + valid_text_pdf()


def case_junk_before_header_2000() -> bytes:
    return junk(2000) + valid_text_pdf()


# --------------------------------------------------------------------------------------------
# Damaged structure
# --------------------------------------------------------------------------------------------


def case_truncated_half() -> bytes:
    data = valid_text_pdf()
    return data[: len(data) // 2]


def case_truncated_before_trailer() -> bytes:
    """Objects and xref table intact; the file ends just before ``trailer``."""
    built = text_pdf().build(1)
    return built.data[: built.trailer_pos]


def case_garbage_xref() -> bytes:
    """The xref table (from ``xref`` to ``trailer``) overwritten with junk of the same length."""
    built = text_pdf().build(1)
    start, end = built.xref_pos, built.trailer_pos
    filler = (b"GARBAGE xref 0 0 n f \n" * ((end - start) // 22 + 1))[: end - start]
    return built.data[:start] + filler + built.data[end:]


def case_zero_pages() -> bytes:
    pdf = RawPdf()
    pdf.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pdf.add(b"<< /Type /Pages /Kids [] /Count 0 >>")
    return pdf.build(1).data


def case_blank_pages() -> bytes:
    pdf = RawPdf()
    pdf.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    tree = pdf.reserve()
    empty = pdf.add_stream(b"")
    kids = [
        pdf.add(
            b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources << >> /Contents %d 0 R >>"
            % (LETTER, empty)
        )
        for _ in range(3)
    ]
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    pdf.set(tree, b"<< /Type /Pages /Kids [%s] /Count 3 >>" % refs)
    return pdf.build(1).data


def scan_image(width: int = 300, height: int = 400) -> bytes:
    """Greyscale pixels that look a little like a scanned page: white with dark text bars."""
    rows = []
    for y in range(height):
        in_line = 40 <= y < 360 and (y - 40) % 16 < 7
        row = bytearray(b"\xf0" * width)
        if in_line:
            line_no = (y - 40) // 16
            right = 260 - (line_no * 37) % 90
            for x in range(30, right):
                if (x // 9 + line_no) % 7 != 0:  # gaps between "words"
                    row[x] = 0x30
        rows.append(bytes(row))
    return b"".join(rows)


def case_image_only_scan() -> bytes:
    width, height = 300, 400
    pdf = RawPdf()
    pdf.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pdf.add(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    page = pdf.reserve()
    image = pdf.add_stream(
        zlib.compress(scan_image(width, height), 9),
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode" % (width, height),
    )
    content = pdf.add_stream(b"q 612 0 0 792 0 0 cm /Im0 Do Q\n")
    pdf.set(
        page,
        b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources << /XObject << /Im0 %d 0 R >> >> "
        b"/Contents %d 0 R >>" % (LETTER, image, content),
    )
    return pdf.build(1).data


def case_missing_mediabox() -> bytes:
    """A text page with no /MediaBox on the page nor on any parent (it is required)."""
    return text_pdf(mediabox=None).build(1).data


def case_three_number_mediabox() -> bytes:
    return text_pdf(mediabox=b"[0 0 612]").build(1).data


def case_page_tree_cycle() -> bytes:
    """The root /Pages node lists itself among its /Kids."""
    pdf = RawPdf()
    pdf.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pdf.add(b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>")
    page = pdf.reserve()
    font = pdf.add(HELVETICA)
    content = pdf.add_stream(text_ops(NOT_A_JOB_AID_LINES))
    pdf.set(
        page,
        b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources << /Font << /F1 %d 0 R >> >> "
        b"/Contents %d 0 R >>" % (LETTER, font, content),
    )
    return pdf.build(1).data


def case_circular_xobjects() -> bytes:
    """Form XObject A draws B, and B draws A; the page draws A."""
    pdf = RawPdf()
    pdf.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pdf.add(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    page, font, form_a, form_b = pdf.reserve(), pdf.reserve(), pdf.reserve(), pdf.reserve()
    pdf.set(font, HELVETICA)

    def form(other: int, label: bytes, draw: bytes) -> bytes:
        body = b"BT /F1 10 Tf 72 700 Td (" + label + b") Tj ET\n" + draw + b" Do\n"
        extra = (
            b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
            b"/Resources << /Font << /F1 %d 0 R >> /XObject << %s %d 0 R >> >>"
            % (font, draw, other)
        )
        return RawPdf.stream_body(body, extra)

    pdf.set(form_a, form(form_b, b"form A", b"/B"))
    pdf.set(form_b, form(form_a, b"form B", b"/A"))
    content = pdf.add_stream(b"/A Do\n")
    pdf.set(
        page,
        b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources << /Font << /F1 %d 0 R >> "
        b"/XObject << /A %d 0 R >> >> /Contents %d 0 R >>" % (LETTER, font, form_a, content),
    )
    return pdf.build(1).data


def case_circular_prev() -> bytes:
    """The trailer's /Prev points at the xref table it belongs to."""
    return text_pdf().build(1, trailer_extra=lambda xref_pos: b"/Prev %d" % xref_pos).data


def case_huge_declared_length() -> bytes:
    """The page's content stream declares /Length 2147483647 (the real one is ~300 bytes)."""
    return one_page_pdf(text_ops(NOT_A_JOB_AID_LINES), length=2_147_483_647).data


def case_nested_arrays() -> bytes:
    """A Flate content stream holding 200,000 nested arrays: ``[[[[...]]]]``."""
    depth = 200_000
    content = b"[" * depth + b"]" * depth + b"\n" + text_ops(NOT_A_JOB_AID_LINES)
    return one_page_pdf(zlib.compress(content, 9), b"/Filter /FlateDecode").data


def case_nested_arrays_object() -> bytes:
    """40,000 nested arrays in an ordinary (uncompressed) object: the page's /Annots."""
    pdf = text_pdf()
    depth = 40_000
    deep = pdf.add(b"[" * depth + b"]" * depth)
    page = next(n for n, body in pdf.objects.items() if body.startswith(b"<< /Type /Page "))
    pdf.objects[page] = pdf.objects[page][:-2] + b" /Annots %d 0 R >>" % deep
    return pdf.build(1).data


# --------------------------------------------------------------------------------------------
# Resource exhaustion
# --------------------------------------------------------------------------------------------

GIB = 1 << 30


def flate_bomb_stream(size: int = GIB) -> bytes:
    """`size` zero bytes compressed twice with zlib (so ~1 GiB fits in a few KB)."""
    comp = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    parts = []
    for _ in range(size // len(chunk)):
        parts.append(comp.compress(chunk))
    parts.append(comp.compress(bytes(size % len(chunk))))
    parts.append(comp.flush())
    return zlib.compress(b"".join(parts), 9)


def case_flate_bomb() -> bytes:
    data = flate_bomb_stream()
    return one_page_pdf(data, b"/Filter [/FlateDecode /FlateDecode]").data


def case_many_chars_one_page() -> bytes:
    """200,000 characters of text on one page (400 lines of 500), Flate-compressed."""
    words = "the quick brown fox jumps over the lazy dog and keeps on running "
    line = (words * 8)[:500]
    ops = [b"BT", b"/F1 1 Tf", b"1.9 TL", b"4 786 Td"]
    ops += [pdf_string(line) + b" Tj T*" for _ in range(400)]
    ops.append(b"ET")
    content = b"\n".join(ops) + b"\n"
    return one_page_pdf(zlib.compress(content, 9), b"/Filter /FlateDecode").data


def case_many_pages(count: int = 20_000) -> bytes:
    """20,000 text pages sharing one font and one content stream."""
    lines = ("Page of a very long document that is not a job aid.",)
    return text_pdf(lines, pages=count).build(1).data


def case_corrupt_flate_checksum(size: int = 4 << 20) -> bytes:
    """A ~4 MB Flate content stream (incompressible comment lines) whose adler32 is wrong."""
    rnd = pseudo_random("corrupt-flate", size)
    # Comment lines of binary junk: no EOL bytes inside, one every 200 bytes.
    body = bytearray(rnd.replace(b"\n", b" ").replace(b"\r", b" "))
    for i in range(0, len(body), 200):
        body[i : i + 2] = b"\n%"
    content = text_ops(NOT_A_JOB_AID_LINES) + bytes(body) + b"\n"
    comp = bytearray(zlib.compress(content, 9))
    comp[-4:] = bytes(b ^ 0xFF for b in comp[-4:])  # the adler32 trailer
    return one_page_pdf(bytes(comp), b"/Filter /FlateDecode").data


# --------------------------------------------------------------------------------------------
# fpdf2 documents: encryption and an ordinary letter
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def deterministic_fpdf_random() -> Iterator[None]:
    """fpdf2 salts and AES IVs come from os.urandom: make them a fixed pseudo-random stream."""
    from fpdf.encryption import StandardSecurityHandler

    counter = iter(range(1_000_000))

    def fixed(cls: type, size: int) -> bytes:
        return pseudo_random(f"fpdf-{next(counter)}", size)

    saved = StandardSecurityHandler.__dict__["get_random_bytes"]
    StandardSecurityHandler.get_random_bytes = classmethod(fixed)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        StandardSecurityHandler.get_random_bytes = saved  # type: ignore[method-assign]


def new_fpdf():  # noqa: ANN201 - fpdf is a dev-only import
    from fpdf import FPDF

    pdf = FPDF(format="letter")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_producer("hostile-generator")
    pdf.set_font("Helvetica", size=11)
    return pdf


def fpdf_text_page(pdf, lines: tuple[str, ...]) -> None:  # noqa: ANN001
    pdf.add_page()
    for line in lines:
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")


def encrypted(method_name: str, owner: str, user: str | None) -> bytes:
    from fpdf.enums import EncryptionMethod

    with deterministic_fpdf_random():
        pdf = new_fpdf()
        pdf.set_encryption(
            owner_password=owner,
            user_password=user,
            encryption_method=getattr(EncryptionMethod, method_name),
        )
        fpdf_text_page(pdf, NOT_A_JOB_AID_LINES)
        return bytes(pdf.output())


def case_encrypted_rc4_user() -> bytes:
    return encrypted("RC4", owner="owner-rc4", user="user")


def case_encrypted_aes256_user() -> bytes:
    return encrypted("AES_256", owner="owner-aes", user="user")


def case_encrypted_owner_only() -> bytes:
    """Owner password only: opens without a password, the content is not a job aid."""
    return encrypted("RC4", owner="owner-only", user=None)


def case_valid_not_job_aid() -> bytes:
    """An ordinary letter: paragraphs and a small unrelated table."""
    pdf = new_fpdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, "Northfield Library", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 7, "12 Station Road, Northfield", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(0, 7, "Dear Ms Okafor,", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    paragraphs = (
        "Thank you for your letter about the opening hours of the reading room. We have "
        "listened to the comments from readers and from the staff, and from next month the "
        "room will stay open later on two evenings a week.",
        "The new hours are set out below. The children's corner keeps its current hours, and "
        "the study carrels can still be booked at the front desk or by telephone.",
        "We hope this helps, and we look forward to seeing you at the autumn book sale.",
    )
    for text in paragraphs:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    rows = (
        ("Day", "Opens", "Closes"),
        ("Monday", "09:00", "17:00"),
        ("Wednesday", "09:00", "20:00"),
        ("Thursday", "09:00", "20:00"),
        ("Saturday", "10:00", "13:00"),
    )
    with pdf.table(width=120, col_widths=(50, 35, 35), align="LEFT") as table:
        for row in rows:
            cells = table.row()
            for value in row:
                cells.cell(value)
    pdf.ln(6)
    pdf.multi_cell(
        0, 6, "Yours sincerely,\nJ. Whitcombe, Head Librarian", new_x="LMARGIN", new_y="NEXT"
    )
    return bytes(pdf.output())


# --------------------------------------------------------------------------------------------
# Registry and entry point
# --------------------------------------------------------------------------------------------

#: Small cases (each < 100 KB): written by default and committed under files/.
SMALL: dict[str, Callable[[], bytes]] = {
    "empty.pdf": case_empty,
    "text_renamed.pdf": case_text_renamed,
    "html_renamed.pdf": case_html_renamed,
    "png_renamed.pdf": case_png_renamed,
    "docx_renamed.pdf": case_docx_renamed,
    "header_only.pdf": case_header_only,
    "junk_before_header_500.pdf": case_junk_before_header_500,
    "junk_before_header_2000.pdf": case_junk_before_header_2000,
    "truncated_half.pdf": case_truncated_half,
    "truncated_before_trailer.pdf": case_truncated_before_trailer,
    "garbage_xref.pdf": case_garbage_xref,
    "encrypted_rc4_user.pdf": case_encrypted_rc4_user,
    "encrypted_aes256_user.pdf": case_encrypted_aes256_user,
    "encrypted_owner_only.pdf": case_encrypted_owner_only,
    "zero_pages.pdf": case_zero_pages,
    "blank_pages.pdf": case_blank_pages,
    "image_only_scan.pdf": case_image_only_scan,
    "missing_mediabox.pdf": case_missing_mediabox,
    "three_number_mediabox.pdf": case_three_number_mediabox,
    "page_tree_cycle.pdf": case_page_tree_cycle,
    "circular_xobjects.pdf": case_circular_xobjects,
    "circular_prev.pdf": case_circular_prev,
    "huge_declared_length.pdf": case_huge_declared_length,
    "nested_arrays.pdf": case_nested_arrays,
    "nested_arrays_object.pdf": case_nested_arrays_object,
    "flate_bomb.pdf": case_flate_bomb,
    "many_chars_one_page.pdf": case_many_chars_one_page,
    "valid_not_job_aid.pdf": case_valid_not_job_aid,
}

#: Large cases (MBs): only written on demand by make_large(), never into files/ by default.
LARGE: dict[str, Callable[[], bytes]] = {
    "many_pages.pdf": case_many_pages,
    "corrupt_flate_checksum.pdf": case_corrupt_flate_checksum,
}

SMALL_LIMIT = 100 * 1024


def _write(outdir: Path, cases: dict[str, Callable[[], bytes]]) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in cases.items():
        path = outdir / name
        path.write_bytes(make())
        written.append(path)
    return written


def make_small(outdir: Path | str = DEFAULT_OUTDIR) -> list[Path]:
    """Write every small case into `outdir`; each is checked to stay under 100 KB."""
    written = _write(Path(outdir), SMALL)
    for path in written:
        size = path.stat().st_size
        if size >= SMALL_LIMIT:
            raise AssertionError(f"{path.name} is {size} bytes, over the small-file limit")
    return written


def make_large(outdir: Path | str) -> list[Path]:
    """Write the large cases (several MB each) into `outdir`, e.g. a pytest tmp_path."""
    return _write(Path(outdir), LARGE)


def main(argv: list[str]) -> int:
    args = list(argv)
    large = "--large" in args
    if large:
        args.remove("--large")
    if len(args) > 1:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = Path(args[0]) if args else DEFAULT_OUTDIR
    written = make_small(outdir)
    if large:
        written += make_large(outdir)
    for path in written:
        print(f"{path.stat().st_size:>10}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
