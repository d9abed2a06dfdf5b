"""The draft wijkuitvoeringsplan as Markdown, from the same outline as the Word document.

Headings: ``#`` for the title, ``##`` for a section, ``###`` for a subsection. The map is
a PNG beside the file, linked by its name. The guiding question of a team section is in
italics, followed by an HTML comment that marks where the team writes (invisible when
rendered; never text).

Every text of the outline is plain text, from data or from us: it goes through
:func:`wijkplan.text_safety.markdown_text`, so a name like ``![x](http://…)`` stays a name
and never becomes an image, a link or HTML in whatever renders the file. The Markdown
syntax (headings, emphasis, tables, the map) is written here only.
"""

from __future__ import annotations

from wijkplan.text_safety import markdown_text as md
from wijkplan.wup.model import Block, Bullets, MapFigure, Notice, Paragraph, Table, WupDocument

__all__ = ["TEAM_PLACEHOLDER", "render_markdown"]

#: Marks the empty paragraph of a team section (an HTML comment: not shown when rendered).
TEAM_PLACEHOLDER = "<!-- tekst van het projectteam -->"


def render_markdown(doc: WupDocument, map_name: str | None) -> str:
    """The Markdown text; ``map_name``: the map PNG's file name beside it (None: no map)."""
    out = [f"# {md(doc.title)}", "", md(doc.subtitle), ""]
    for block in doc.front:
        out += _block(block, map_name)
    out += ["---", ""]
    for section in doc.sections:
        out += [f"{'#' * (1 + max(1, min(section.level, 3)))} {md(section.title)}", ""]
        for block in section.blocks:
            out += _block(block, map_name)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return md(text) or " "  # "|" escaped too


def _block(block: Block, map_name: str | None) -> list[str]:
    if isinstance(block, Paragraph):
        if block.kind == "leeg":
            return [TEAM_PLACEHOLDER, ""]
        text = md(block.text)
        if block.kind == "vraag":
            return [f"*{text}*", ""]
        if block.kind == "let op":
            return [f"**{text}**", ""]
        return [text, ""]
    if isinstance(block, Bullets):
        return [*(f"- {md(i)}" for i in block.items), ""]
    if isinstance(block, Table):
        lines = [f"**{md(block.caption)}**", ""] if block.caption else []
        lines.append("| " + " | ".join(_cell(h) for h in block.headers) + " |")
        lines.append("|" + "|".join("---" for _ in block.headers) + "|")
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
        return [*lines, ""]
    if isinstance(block, Notice):
        lines = [f"> **LET OP — {md(block.title)}**"]
        previous_bullet = False
        for line in block.lines:
            bullet = line.startswith("• ")
            if not (bullet and previous_bullet):
                lines.append(">")
            lines.append(f"> - {md(line[2:])}" if bullet else f"> {md(line)}")
            previous_bullet = bullet
        return [*lines, ""]
    if isinstance(block, MapFigure):
        if map_name is None:
            return ["(Geen kaart: de kaart kon niet worden gemaakt.)", "", md(block.caption), ""]
        return [f"![{md(block.alt)}]({map_name})", "", md(block.caption), ""]
    raise TypeError(f"onbekend blok: {block!r}")  # pragma: no cover
