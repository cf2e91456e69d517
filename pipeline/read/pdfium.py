"""An open pdfium document → page layouts identical to the pdfplumber reader's, about ten times faster.

pdfplumber stays the reference: this module rebuilds the objects pdfplumber would give (chars with
boxes, font name and size; line, rect and curve edges; filled rects) from pdfium's text page and
page objects, and hands them to the same `objects_to_layout`. Boxes follow pdfminer's rules: a
char spans its advance width horizontally and [baseline + descent, + font size] vertically, with
the descent of the standard 14 fonts taken from their AFM metrics as pdfminer does. What pdfium
cannot be made to describe the same way raises `NotReproducible`, and the caller reads the whole
document with pdfplumber instead (see `reproducible_page`).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.read.layout import PageLayout, objects_to_layout, rect_can_rule

#: pdfium page object types (fpdf_edit.h)
TEXT_OBJECT, PATH_OBJECT, IMAGE_OBJECT, FORM_OBJECT = 1, 2, 3, 5
#: pdfium path segment types
LINETO, BEZIERTO, MOVETO = 0, 1, 2
#: What pdfium reports in place of a hyphen that ends a line
HYPHEN_MARK = 0x02
#: pdfium computes in 32-bit floats (about 7 digits); positions are rounded back to the 4 decimals a content
#: stream writes, so that values pdfminer holds as exact doubles (a 3.0 pt gap) compare the same way.
DIGITS = 4

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class NotReproducible(Exception):
    """A page whose objects pdfium cannot describe exactly as pdfplumber does (read it with pdfplumber)."""


class TooManyChars(Exception):
    """A page with more characters than allowed (counted before any is read)."""

    def __init__(self, page: int, count: int) -> None:
        super().__init__(f"page {page} has {count} characters")
        self.page, self.count = page, count


@dataclass(frozen=True)
class Font:
    """What a char needs from its font: pdfminer's name for it and its descent per point of size."""

    name: str
    descent: float
    handle: Any


def pdfium_page_to_layout(pdf: Any, index: int, max_chars: int) -> PageLayout:
    """An open pypdfium2 document and a page index → that page's layout (the page is closed after reading)."""
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        reproducible_page(page)
        width, height = round(float(page.get_width()), DIGITS), round(float(page.get_height()), DIGITS)
        textpage = page.get_textpage()
        try:
            count = raw.FPDFText_CountChars(textpage.raw)
            if count > max_chars:
                raise TooManyChars(index + 1, count)
            chars, read_objects = page_chars(raw, textpage.raw, height)
        finally:
            textpage.close()
        lines: list[dict[str, Any]] = []
        rects: list[dict[str, Any]] = []
        curves: list[dict[str, Any]] = []
        images = texts = 0
        for obj, matrix in page_objects(raw, page.raw):
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == TEXT_OBJECT:
                texts += 1
            elif kind == IMAGE_OBJECT:
                images += 1
            elif kind == PATH_OBJECT:
                path_to_objects(raw, obj, matrix, height, lines, rects, curves)
        if read_objects != texts:
            raise NotReproducible("pdfium skipped a text object (a run of glyphs printed twice, or an empty one)")
        edges = [line_to_edge(line) for line in lines]
        edges += [edge for rect in rects if rect_can_rule(rect) for edge in rect_to_edges(rect)]
        edges += [edge for curve in curves for edge in curve_to_edges(curve)]
        return objects_to_layout(index + 1, width, height, chars, edges, rects, images)
    finally:
        page.close()


def reproducible_page(page: Any) -> None:
    """Raise NotReproducible for pages pdfplumber places differently: rotated, or a box not at the origin."""
    if page.get_rotation() % 360:
        raise NotReproducible("rotated page")
    media = tuple(page.get_mediabox())
    if media[:2] != (0, 0) or tuple(page.get_cropbox()) != media:
        raise NotReproducible("page box not at the origin")


def page_chars(raw: Any, textpage: Any, height: float) -> tuple[list[dict[str, Any]], int]:
    """A pdfium text page → its printed chars as pdfplumber char dicts (text, box, font name, size), and the
    number of text objects they come from."""
    fonts: dict[int, Font] = {}
    runs: dict[int, tuple[Font, float, float]] = {}  # per text object: font, size, horizontal stretch
    widths: dict[tuple[int, int, float], float] = {}
    chars = []
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    advance = ctypes.c_float()
    is_generated, unicode_of, origin_of = raw.FPDFText_IsGenerated, raw.FPDFText_GetUnicode, raw.FPDFText_GetCharOrigin
    object_address = _address_returning(raw.FPDFText_GetTextObject)
    for i in range(raw.FPDFText_CountChars(textpage)):
        if is_generated(textpage, i):
            continue  # spaces and line breaks pdfium infers; pdfminer has no such chars
        code = unicode_of(textpage, i)
        key = object_address(textpage, i) or 0
        run = runs.get(key)
        if run is None:
            run = runs[key] = _run(raw, textpage, i, raw.FPDFText_GetTextObject(textpage, i), fonts)
        font, size, stretch = run
        origin_of(textpage, i, origin_x, origin_y)
        if code == HYPHEN_MARK:
            code = _hyphen(raw, textpage, raw.FPDFText_GetTextObject(textpage, i))
        width_key = (id(font), code, size)
        width = widths.get(width_key)
        if width is None:
            if not raw.FPDFFont_GetGlyphWidth(font.handle, code, ctypes.c_float(size), advance):
                raise NotReproducible(f"no advance width for {chr(code)!r} in font {font.name}")
            width = widths[width_key] = round(advance.value * stretch, DIGITS)  # horizontal scaling (Tz) stretches it
        x0 = round(origin_x.value, DIGITS)
        y0 = round(origin_y.value, DIGITS) + font.descent * size
        top = height - (y0 + size)
        chars.append({
            "text": chr(code) if code else "",
            "x0": x0,
            "x1": x0 + width,
            "top": top,
            "bottom": height - y0,
            "doctop": top,
            "upright": True,
            "fontname": font.name,
            "size": size,
        })
    return chars, len(runs)


def _address_returning(function: Any) -> Any:
    """A pdfium function returning a handle → the same C function returning the handle's address as an int (or
    None), for use as a dict key: casting each returned pointer costs three times the call."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    if address is None:
        raise NotReproducible("pdfium function without an address")
    return ctypes.CFUNCTYPE(ctypes.c_void_p, *function.argtypes)(address)


def _run(raw: Any, textpage: Any, index: int, text_object: Any, fonts: dict[int, Font]) -> tuple[Font, float, float]:
    """The first char of a text object → the object's font, font size and horizontal stretch (upright text only)."""
    matrix = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(textpage, index, matrix)
    if not (matrix.a > 0 and matrix.d > 0 and matrix.b == 0 and matrix.c == 0):
        raise NotReproducible("rotated, mirrored or skewed text")
    handle = raw.FPDFTextObj_GetFont(text_object)
    key = ctypes.cast(handle, ctypes.c_void_p).value or 0
    if key not in fonts:
        buffer = ctypes.create_string_buffer(512)
        length = raw.FPDFFont_GetBaseFontName(handle, buffer, len(buffer))
        name = buffer.raw[: max(length - 1, 0)].decode("utf-8", "replace")
        fonts[key] = Font(name, _descent(raw, handle, name), handle)
    size = round(float(raw.FPDFText_GetFontSize(textpage, index)), DIGITS)
    return fonts[key], size, float(matrix.a / matrix.d)


def _hyphen(raw: Any, textpage: Any, text_object: Any) -> int:
    """A char pdfium marks as a line-end hyphen → the hyphen printed ("-"), unless its text object has a soft one."""
    size = raw.FPDFTextObj_GetText(text_object, textpage, None, 0)
    buffer = (ctypes.c_ushort * (size // 2 + 1))()
    raw.FPDFTextObj_GetText(text_object, textpage, buffer, size)
    if "\u00ad" in bytes(buffer).decode("utf-16-le", "replace"):
        raise NotReproducible("soft hyphen")
    return ord("-")


def _descent(raw: Any, handle: Any, name: str) -> float:
    """A font → its descent per point of size, from the AFM metrics pdfminer uses for the standard 14 fonts.

    Other fonts (embedded TrueType, Type 1, CID, Type 3: Word and browser exports) are NotReproducible:
    pdfium and pdfminer take their descent and sometimes their char lists from different places.
    """
    from pdfminer.fontmetrics import FONT_METRICS

    if name not in FONT_METRICS or raw.FPDFFont_GetIsEmbedded(handle):
        raise NotReproducible(f"font {name!r} is not a standard font")
    descriptor: dict[str, Any] = FONT_METRICS[name][0]
    return float(descriptor["Descent"]) / 1000


def page_objects(raw: Any, page: Any) -> Iterator[tuple[Any, Matrix]]:
    """A pdfium page → every page object (inside form XObjects too) with the matrix that places it on the page."""
    stack = [(raw.FPDFPage_GetObject(page, i), IDENTITY) for i in range(raw.FPDFPage_CountObjects(page))]
    stack.reverse()
    while stack:
        obj, outer = stack.pop()
        if raw.FPDFPageObj_GetType(obj) == FORM_OBJECT:
            inner = _compose(_object_matrix(raw, obj), outer)
            count = raw.FPDFFormObj_CountObjects(obj)
            stack.extend((raw.FPDFFormObj_GetObject(obj, i), inner) for i in reversed(range(count)))
        else:
            yield obj, outer


def _object_matrix(raw: Any, obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(first: Matrix, then: Matrix) -> Matrix:
    """Two matrices → the one applying `first`, then `then` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def path_to_objects(raw: Any, obj: Any, outer: Matrix, height: float, lines: list[dict[str, Any]],
                    rects: list[dict[str, Any]], curves: list[dict[str, Any]]) -> None:
    """A pdfium path object → pdfminer's lines, rects and curves (one per subpath), in top-down page coordinates."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke)
    fill = fill_mode.value != 0
    color = _fill_color(raw, obj)
    matrix = _compose(_object_matrix(raw, obj), outer)
    for shape, points in _subpaths(raw, obj, matrix):
        pts = [(x, height - y) for x, y in points]
        if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
            shape = shape[:-2] + "h"
            pts.pop(-2)
        if shape in ("mlh", "ml"):
            lines.append(_box(pts[:2]))
        elif shape in ("mlllh", "mllll") and pts[0] == pts[4] and _is_axis_rect(pts):
            rects.append({**_box([pts[0], pts[2]]), "fill": fill, "stroke": bool(stroke.value),
                          "non_stroking_color": color})
        else:
            curves.append({**_box(pts), "pts": pts})


def _subpaths(raw: Any, obj: Any, matrix: Matrix) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """A path object → (pdfminer's operator string, end points) per subpath; a Bézier is one "c" with its end point.

    A closing segment adds "h" with the subpath's first point, as pdfminer records it.
    """
    x, y = ctypes.c_float(), ctypes.c_float()
    shape, points = "", list[tuple[float, float]]()
    bezier = 0
    for i in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, i)
        kind = raw.FPDFPathSegment_GetType(segment)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        px, py = _apply(matrix, float(x.value), float(y.value))
        point = (round(px, DIGITS), round(py, DIGITS))
        if kind == MOVETO:
            if shape:
                yield shape, points
            shape, points, bezier = "m", [point], 0
            continue
        if kind == BEZIERTO:
            bezier = (bezier + 1) % 3
            if bezier:
                continue
            shape += "c"
        else:
            shape += "l"
        points.append(point)
        if raw.FPDFPathSegment_GetClose(segment):
            shape += "h"
            points.append(points[0])
    if shape:
        yield shape, points


def _is_axis_rect(pts: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


def _box(pts: list[tuple[float, float]]) -> dict[str, Any]:
    """Points (top-down) → the bounding box fields pdfplumber gives every object."""
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top}


def _fill_color(raw: Any, obj: Any) -> tuple[float, ...] | None:
    """A page object → its fill colour as RGB fractions, or None when pdfium reports none."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)


def line_to_edge(line: dict[str, Any]) -> dict[str, Any]:
    """pdfplumber's rule: a line is horizontal when its top equals its bottom, otherwise vertical."""
    return {**line, "orientation": "h" if line["top"] == line["bottom"] else "v"}


def rect_to_edges(rect: dict[str, Any]) -> list[dict[str, Any]]:
    """A rect → its four sides as edges (pdfplumber's rect_to_edges)."""
    x0, x1, top, bottom = rect["x0"], rect["x1"], rect["top"], rect["bottom"]
    return [
        {"x0": x0, "x1": x1, "top": top, "bottom": top, "orientation": "h"},
        {"x0": x0, "x1": x1, "top": bottom, "bottom": bottom, "orientation": "h"},
        {"x0": x0, "x1": x0, "top": top, "bottom": bottom, "orientation": "v"},
        {"x0": x1, "x1": x1, "top": top, "bottom": bottom, "orientation": "v"},
    ]


def curve_to_edges(curve: dict[str, Any]) -> list[dict[str, Any]]:
    """A curve → one edge per pair of consecutive points (pdfplumber's curve_to_edges)."""
    pts = curve["pts"]
    return [
        {"x0": min(p[0], q[0]), "x1": max(p[0], q[0]), "top": min(p[1], q[1]), "bottom": max(p[1], q[1]),
         "orientation": "v" if p[0] == q[0] else ("h" if p[1] == q[1] else None)}
        for p, q in zip(pts, pts[1:], strict=False)
    ]
