"""The draft wijkuitvoeringsplan as a Word document (python-docx), from the outline.

A4, Dutch as the proofing language, real Word headings (so the navigation pane and a
table of contents work), tables with a repeated header row, the sample-data warning as a
shaded box, the map as an inline picture 16 cm wide. The sections the team writes hold
their guiding question in italics and one empty paragraph to type in. The document
properties are the draft's own: title, the area as subject, author "wijkplan", and the
time it was made as created and modified (not the template's).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import IO, Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from wijkplan.wup.model import (
    Block,
    Bullets,
    MapFigure,
    Notice,
    Paragraph,
    Table,
    WupDocument,
)

__all__ = ["AUTHOR", "MAP_WIDTH_CM", "render_docx"]

MAP_WIDTH_CM = 16.0
#: The document's author and last editor in its properties (Word: File > Info).
AUTHOR = "wijkplan"
_SMALL = Pt(8.5)
_GREY = RGBColor(0x55, 0x55, 0x55)
_NOTICE_FILL = {"voorbeelddata": "FFF2CC", "ontbreekt": "FCE4D6"}
_NOTICE_TEXT = RGBColor(0x9C, 0x27, 0x06)


def render_docx(doc: WupDocument, png: bytes | None, path: Path | str | IO[bytes]) -> None:
    """Write ``doc`` as a .docx file at ``path`` or into a binary stream.

    The caller makes a file write atomic (:func:`wijkplan.outputs.atomic.atomic_path`).
    """
    d = Document()
    _setup(d, doc)
    d.add_heading(doc.title, level=0)
    d.add_paragraph(doc.subtitle, style="Subtitle")
    for block in doc.front:
        _block(d, block, png)
    d.add_page_break()
    for section in doc.sections:
        d.add_heading(section.title, level=max(1, min(section.level, 3)))
        for block in section.blocks:
            _block(d, block, png)
    d.save(str(path) if isinstance(path, str | Path) else path)


def _setup(d: Any, doc: WupDocument) -> None:
    s = d.sections[0]
    s.page_width, s.page_height = Cm(21.0), Cm(29.7)
    s.left_margin = s.right_margin = Cm(2.5)
    s.top_margin = s.bottom_margin = Cm(2.2)
    normal = d.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "nl-NL")
    rpr.append(lang)
    # python-docx's template carries its own dates (2013) and author: replace them all
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props = d.core_properties
    props.created = now
    props.modified = now
    props.revision = 1
    props.title = doc.title
    props.subject = doc.subtitle  # the area: "Wijk Ridderveld (WK048402), gemeente …"
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.keywords = ", ".join(doc.keywords)
    props.comments = (
        "Concept, samengesteld door wijkplan; bevat voorbeelddata"
        if doc.voorbeelddata
        else "Concept, samengesteld door wijkplan"
    )
    props.language = "nl-NL"


def _block(d: Any, block: Block, png: bytes | None) -> None:
    if isinstance(block, Paragraph):
        _paragraph(d, block)
    elif isinstance(block, Bullets):
        for item in block.items:
            d.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Table):
        _table(d, block)
    elif isinstance(block, Notice):
        _notice(d, block)
    elif isinstance(block, MapFigure):
        if png is not None:
            d.add_picture(io.BytesIO(png), width=Cm(MAP_WIDTH_CM))
        else:
            d.add_paragraph("(Geen kaart: de kaart kon niet worden gemaakt.)")
        d.add_paragraph(block.caption, style="Caption")
    else:  # pragma: no cover - the outline has no other blocks
        raise TypeError(f"onbekend blok: {block!r}")


def _paragraph(d: Any, p: Paragraph) -> None:
    if p.kind == "leeg":
        d.add_paragraph()
        return
    para = d.add_paragraph()
    run = para.add_run(p.text)
    if p.kind == "vraag":
        run.italic = True
    elif p.kind == "klein":
        run.font.size = _SMALL
        run.font.color.rgb = _GREY
    elif p.kind == "let op":
        run.bold = True


def _shade(cell: Any, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row: Any) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _cell_text(cell: Any, text: str, *, bold: bool = False) -> None:
    para = cell.paragraphs[0]
    run = para.add_run(text)
    run.font.size = _SMALL
    if bold:
        run.bold = True


def _table(d: Any, t: Table) -> None:
    if t.caption:
        cap = d.add_paragraph()
        run = cap.add_run(t.caption)
        run.bold = True
        run.font.size = Pt(9.5)
    table = d.add_table(rows=1, cols=len(t.headers))
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, t.headers, strict=True):
        _cell_text(cell, text, bold=True)
        _shade(cell, "E7E6E6")
    for values in t.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            _cell_text(cell, text)
    d.add_paragraph()


def _notice(d: Any, n: Notice) -> None:
    table = d.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    cell = table.rows[0].cells[0]
    _shade(cell, _NOTICE_FILL.get(n.kind, "FFF2CC"))
    title = cell.paragraphs[0].add_run(f"LET OP — {n.title}")
    title.bold = True
    title.font.size = Pt(11)
    title.font.color.rgb = _NOTICE_TEXT
    for line in n.lines:
        run = cell.add_paragraph().add_run(line)
        run.font.size = Pt(9.5)
    d.add_paragraph()
