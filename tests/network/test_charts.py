"""The server-drawn charts: an image with a name and a description, every bar's name and figure written as text,
colours of at least 3:1 against the white page, long names shortened, names escaped, nothing to divide by zero."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from tremplin.network import charts
from tremplin.network.charts import Bar, bar_chart, goal_chart

SVG = "{http://www.w3.org/2000/svg}"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (_luminance(hex_colour) + 0.05)


def test_a_bar_chart_is_a_named_image_with_every_figure_written():
    svg = str(bar_chart(ident="x", title="Personnes touchées", description="Une barre par département.",
                        bars=[Bar("Maine-et-Loire", 1234), Bar("<script>alert(1)</script>", 0),
                              Bar("Un nom de département vraiment beaucoup trop long pour tenir", 5)]))
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "x-t x-d"
    assert root.find(f"{SVG}title").text == "Personnes touchées"
    assert root.find(f"{SVG}desc").text == "Une barre par département."
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Maine-et-Loire" in texts and "1\u202f234" in texts and "0" in texts and "5" in texts
    assert "<script>alert(1)</script>" in texts and "<script>" not in svg  # escaped, shown as text
    assert any(t.endswith("…") and len(t) == charts.MAX_LABEL for t in texts)


def test_a_chart_with_nothing_or_only_zeros_never_divides_by_zero():
    assert "Rien à montrer." in str(bar_chart(ident="e", title="t", description="d", bars=[]))
    assert 'width="0"' in str(bar_chart(ident="z", title="t", description="d", bars=[Bar("A", 0)]))
    assert "0 personnes" in str(goal_chart(ident="g", reached=0, goal=0)).replace("\u202f", " ")


def test_the_goal_chart_says_how_far_in_words():
    svg = str(goal_chart(ident="g", reached=123456, goal=1_000_000))
    assert "123\u202f456 personnes touchées depuis le début, sur un objectif de 1\u202f000\u202f000." in svg


def test_every_colour_of_the_charts_has_at_least_3_to_1_contrast_on_white():
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"',
                             str(bar_chart(ident="c", title="t", description="d", bars=[Bar("A", 3)]))
                             + str(goal_chart(ident="g", reached=1, goal=2))))
    assert colours == {charts.BAR, charts.INK, charts.TRACK}
    assert all(_contrast_with_white(c) >= 3 for c in colours), {c: _contrast_with_white(c) for c in colours}
