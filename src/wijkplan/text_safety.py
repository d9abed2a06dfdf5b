"""Text from data is text, wherever it is shown: one rule per place it meets markup.

Names of buurten, wijken, complexes and parties, an agreement's text and toelichting, a
status remark: all of it comes from files and people, and none of it may become markup.

- :func:`html_text` for HTML (folium tooltips and popups, legends, anything drawn with
  ``unsafe_allow_html``): the text is escaped for element content, a quoted attribute
  *and* a JavaScript template literal, because folium puts a tooltip's text between
  backticks (``bindTooltip(`<div>…</div>`)``), where ``${…}`` would run;
- :func:`markdown_text` for Markdown (Streamlit's ``st.markdown``, ``st.caption``,
  ``st.subheader``, alerts; the Markdown WUP): no emphasis, heading, list, image, link,
  HTML, math or Streamlit directive can come out of it, and no bare address becomes a link;
- :func:`terminal_text` for a terminal: no control character (escape sequences, carriage
  returns, bidi overrides) reaches it.

Why this is the defence on the map: streamlit-folium draws the map in a component iframe
whose sandbox Streamlit fixes in its frontend (``allow-same-origin allow-scripts``, among
others; not configurable from Python), so script in the map could reach the app page
(``window.parent.document``). The iframe cannot be closed off from here; making every
data text inert before it reaches folium or Markdown is what keeps script out.
"""

from __future__ import annotations

import html
import re

__all__ = [
    "CONTROL_CHARACTERS",
    "has_control_characters",
    "html_text",
    "markdown_text",
    "plain_text",
    "terminal_text",
]

#: C0 and C1 control characters (tab and newline included), DEL, and the invisible
#: direction overrides and isolates that can make a terminal line read differently.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: Markdown (CommonMark, GFM, Streamlit) characters that are markup anywhere in a line.
_MARKDOWN_ANYWHERE = re.compile(r"([\\`*_{}\[\]<>#|~$])")
#: ... that are markup only where a line (here: the text) starts: a list marker followed
#: by a space (or nothing), or a line of "=" or "-" (a heading underline, a rule).
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:([-+]|\d{1,9}[.)])(?=\s|$)|([=-])(?=[=\s-]*$))")
_IMAGE = re.compile(r"!(?=\\\[)")
_ENTITY = re.compile(r"&(?=#?\w+;)")
#: GFM turns bare addresses into links after parsing, so a backslash cannot stop it;
#: an invisible word joiner after the scheme, "www" or "@" does.
_BARE_LINK = re.compile(r"(?i)(\b(?:https?|ftp|mailto|xmpp)(?=:)|\bwww(?=\.)|@(?=\w))")
_WORD_JOINER = "\u2060"


def plain_text(value: object) -> str:
    """The value as one line of text: "" for None/NaN, control characters as spaces.

    >>> plain_text(None), plain_text(float("nan")), plain_text("a\\tb\\nc\\x1b[31m")
    ('', '', 'a b c [31m')
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return " ".join(CONTROL_CHARACTERS.sub(" ", str(value)).split())


def html_text(value: object) -> str:
    """The value as inert HTML text (element content, quoted attribute, JS template literal).

    >>> html_text("<img src=x onerror=alert('x')>")
    '&lt;img src=x onerror=alert(&#x27;x&#x27;)&gt;'
    >>> html_text("`${alert(1)}` \\\\ & co")
    '&#96;&#36;{alert(1)}&#96; &#92; &amp; co'
    """
    return (
        html.escape(plain_text(value), quote=True)
        .replace("`", "&#96;")
        .replace("$", "&#36;")
        .replace("\\", "&#92;")
    )


def markdown_text(value: object) -> str:
    """The value as inert inline Markdown: it renders as exactly its own text.

    >>> markdown_text("![x](http://198.51.100.7/x.png)")
    '\\\\!\\\\[x\\\\](http\\u2060://198.51.100.7/x.png)'
    >>> markdown_text("# *kop* <b> 1. _a_ [b] :red[c] $x$")
    '\\\\# \\\\*kop\\\\* \\\\<b\\\\> 1. \\\\_a\\\\_ \\\\[b\\\\] :red\\\\[c\\\\] \\\\$x\\\\$'
    >>> markdown_text("1. eerste"), markdown_text("- streep"), markdown_text("Noord-Oost (2)")
    ('1\\\\. eerste', '\\\\- streep', 'Noord-Oost (2)')
    >>> markdown_text("1.800"), markdown_text("-5"), markdown_text("==="), markdown_text("- -")
    ('1.800', '-5', '\\\\===', '\\\\- -')
    """
    text = _MARKDOWN_ANYWHERE.sub(r"\\\1", plain_text(value))
    text = _IMAGE.sub(r"\\!", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _MARKDOWN_LINE_START.sub(lambda m: m[1] + _escape_last(m[2] or m[3]), text)
    return _BARE_LINK.sub(lambda m: m[1] + _WORD_JOINER, text)


def _escape_last(token: str) -> str:
    return token[:-1] + "\\" + token[-1]


def terminal_text(value: object) -> str:
    """The value for a terminal: control characters shown as ``\\xNN`` / ``\\uNNNN``.

    >>> terminal_text("ok\\x1b[2J\\rweg\\u202e")
    'ok\\\\x1b[2J\\\\rweg\\\\u202e'
    """
    if value is None:
        return ""
    return CONTROL_CHARACTERS.sub(_visible, str(value))


def _visible(match: re.Match[str]) -> str:
    char = match[0]
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def has_control_characters(value: str, *, allow_newlines: bool = False) -> bool:
    """True if ``value`` holds a control character (newline and tab allowed on request).

    >>> has_control_characters("a\\x1b"), has_control_characters("a\\nb", allow_newlines=True)
    (True, False)
    """
    text = (
        value.replace("\r\n", "").replace("\n", "").replace("\t", "") if allow_newlines else value
    )
    return bool(CONTROL_CHARACTERS.search(text))
