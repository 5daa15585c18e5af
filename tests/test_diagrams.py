"""Diagrams written as text in the bank: checked with located messages, laid out top to bottom,
drawn as inline SVG from escaped text with the theme's colours, and given a text alternative."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qbank import diagrams, routes
from qbank.bank import Bank, BankError, load_bank
from tests.conftest import ROOT

EDGES = ["Client -> Gateway: HTTPS", "Gateway -> Model server", "Feature store -> Model server: features",
         "Model server -> Logs", "Logs -> Gateway: retry budget"]


def test_boxes_sit_below_what_feeds_them_and_loops_are_found() -> None:
    drawing = diagrams.parse("An online inference path", EDGES)
    layout = diagrams.rows(drawing)
    row = {name: n for n, names in enumerate(layout) for name in names}
    assert row["Client"] < row["Gateway"] < row["Model server"] < row["Logs"]
    assert row["Feature store"] == row["Model server"] - 1, "a source sits just above the box it feeds"
    assert diagrams.back_edges(drawing) == {diagrams.Edge("Logs", "Gateway", "retry budget")}


@pytest.mark.parametrize(("edges", "message"), [
    (["Client -> Gateway"], "a diagram has 2 to 16 edges"),
    (["Client => Gateway", "Gateway -> Server"], "is not 'Box -> Other box'"),
    (["Client -> Client", "Client -> Server"], "points a box at itself"),
    (["A -> B: " + "x" * 41, "B -> C"], "over 40 characters"),
    ([f"Box {n} -> Box {n + 1}" for n in range(13)], "at most 12 boxes"),
])
def test_a_diagram_that_cannot_be_drawn_says_what_to_fix(edges: list[str], message: str) -> None:
    assert any(message in problem for problem in diagrams.edge_problems(edges))


def test_the_bank_check_locates_a_bad_diagram(tmp_path: Path) -> None:
    document = json.loads((ROOT / "tests" / "fixtures" / "valid.json").read_text(encoding="utf-8"))
    document["questions"][0]["diagram"] = {"title": "A broken drawing", "edges": ["Client -> Gateway", "oops"]}
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(BankError) as error:
        load_bank(path, display="data/questions.json")
    assert re.search(rf"data/questions.json:\d+:\d+: question '{document['questions'][0]['id']}': 'diagram': "
                     r"edge 2 'oops' is not 'Box -> Other box'", str(error.value))


def test_the_drawing_is_escaped_text_with_no_style_or_script() -> None:
    figure = diagrams.render_figure(diagrams.parse("Cache & queue <flow>", ["A & B -> C: x < y", "C -> D"]), "q1")
    for escaped in ("A &amp; B", "x &lt; y", "Cache &amp; queue &lt;flow&gt;"):
        assert escaped in figure
    assert not re.search(r"<script|\sstyle=|\son[a-z]+=|href=", figure), "no script, inline style or link"
    assert 'role="img" aria-labelledby="qa-diagram-q1-title"' in figure
    assert figure.count("<li>") == 2, "every edge in the text alternative"


def test_every_diagram_in_the_bank_is_drawn_in_its_answer_with_its_text(built_site: Path, real_bank: Bank) -> None:
    drawn = [q for q in real_bank.questions if q.diagram]
    assert len(drawn) >= 20
    assert {q.id for q in real_bank.questions if q.topic == "system-design"} <= {q.id for q in drawn}
    on_site = routes.Routes(real_bank)
    for question in drawn:
        html = (built_site / on_site.question_page(question) / "index.html").read_text(encoding="utf-8")
        block = html[html.index(f'<details class="qa" data-question="{question.id}"'):]
        block = block[:block.index("</details>")]
        assert f'aria-labelledby="qa-diagram-{question.id}-title"' in block, question.id
        items = re.search(r'<ul class="qa-diagram__edges"[^>]*>(.*?)</ul>', block, re.S).group(1)
        assert items.count("<li>") == len(question.diagram.edges), question.id


def _colour(page: Page, selector: str, prop: str) -> tuple[int, ...]:
    value = page.eval_on_selector(selector, f"el => getComputedStyle(el).{prop}")
    return tuple(int(n) for n in re.findall(r"\d+", value)[:3])


def _luminance(rgb: tuple[int, ...]) -> float:
    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_diagram_reads_in_both_schemes_and_never_widens_a_phone_page(browser: object, site_url: str,
                                                                      scheme: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True,
                                  color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(f"{site_url}topics/gpus/#ring-vs-tree-allreduce-alpha-beta")
        figure = page.locator('details[data-question="ring-vs-tree-allreduce-alpha-beta"] .qa-diagram')
        expect(figure).to_be_visible()
        text = _colour(page, ".qa-diagram__name", "fill")
        box = _colour(page, ".qa-diagram__box", "fill")
        lighter, darker = sorted((_luminance(text), _luminance(box)), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, f"box text contrast in {scheme}: {text} on {box}"
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page scrolls sideways"
    finally:
        context.close()
