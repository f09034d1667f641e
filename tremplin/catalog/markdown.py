"""Markdown from content files to safe HTML (markdown-it-py, then nh3 as a second guard)."""

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True})
# Authors write one sentence per line (FALC): each line break is kept on screen.
_ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "br", "a", "code", "blockquote"}


def render(text: str) -> str:
    html = _md.render(text or "")
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href"}},
                     url_schemes={"https"}, link_rel="noopener noreferrer").strip()
