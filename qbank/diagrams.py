"""Diagrams written as text in the bank, drawn as SVG at build time.

A question's optional `diagram` is {"title": "...", "edges": ["Client -> Gateway: HTTPS", ...]}:
each edge line names two boxes and, after a colon, what flows between them. The drawing is made
here, in Python, from escaped text: no script, no other origin, no inline style (colours come from
the site's stylesheet, so dark mode and print follow the theme). The same edges are shown as a
list beside it, the diagram's text alternative.

Layout: boxes in rows, top to bottom; a box sits one row below the lowest box that points to it
(edges that point back up, closing a loop, are drawn as such and do not move boxes).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from qbank.text import PlainText

EDGE = re.compile(r"^\s*(?P<source>[^:>]+?)\s*->\s*(?P<target>[^:>]+?)\s*(?::\s*(?P<label>.+?))?\s*$")
MAX_NODES = 12
MAX_EDGES = 16
MAX_NAME = 32
MAX_LABEL = 40
MAX_PER_ROW = 4

# Drawing units (the SVG scales to the column's width).
BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN, CHANNEL = 180, 50, 36, 70, 12, 26
CHARS_PER_LINE = 20


@dataclass(frozen=True)
class Edge:
    """An arrow from one box to another, with what flows along it."""

    source: str
    target: str
    label: str = ""


@dataclass(frozen=True)
class Diagram:
    """A parsed diagram: its title (the accessible name), its boxes in first-mention order and its
    edges in the order written."""

    title: PlainText
    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]


def edge_problems(lines: list[str]) -> list[str]:
    """What is wrong with a diagram's edge lines, as messages a contributor can act on."""
    problems = []
    nodes: dict[str, None] = {}
    if not 2 <= len(lines) <= MAX_EDGES:
        problems.append(f"a diagram has 2 to {MAX_EDGES} edges; this one has {len(lines)}")
    for number, line in enumerate(lines, 1):
        match = EDGE.match(line)
        if not match:
            problems.append(f"edge {number} {line!r} is not 'Box -> Other box' or 'Box -> Other box: what flows'")
            continue
        for name in (match["source"], match["target"]):
            nodes[name] = None
            if len(name) > MAX_NAME:
                problems.append(f"edge {number}: the box name {name!r} is over {MAX_NAME} characters; shorten it")
        if match["label"] and len(match["label"]) > MAX_LABEL:
            problems.append(f"edge {number}: the label {match['label']!r} is over {MAX_LABEL} characters; shorten it")
        if match["source"] == match["target"]:
            problems.append(f"edge {number}: {line!r} points a box at itself")
    if len(nodes) > MAX_NODES:
        problems.append(f"a diagram has at most {MAX_NODES} boxes; this one has {len(nodes)}: split it or merge boxes")
    return problems


def parse(title: str, lines: list[str]) -> Diagram:
    """A diagram from its title and edge lines (already checked by edge_problems)."""
    edges = []
    nodes: dict[str, None] = {}
    for line in lines:
        match = EDGE.match(line)
        edges.append(Edge(match["source"], match["target"], match["label"] or ""))
        nodes.setdefault(match["source"])
        nodes.setdefault(match["target"])
    return Diagram(PlainText(title), tuple(nodes), tuple(edges))


def back_edges(diagram: Diagram) -> frozenset[Edge]:
    """The edges that close a loop: found by walking from each box in the order first mentioned,
    following edges in the order written; an edge to a box still on the walk's path points back."""
    out: dict[str, list[Edge]] = {name: [] for name in diagram.nodes}
    for edge in diagram.edges:
        out[edge.source].append(edge)
    back: set[Edge] = set()
    done: set[str] = set()

    def walk(name: str, path: set[str]) -> None:
        path.add(name)
        for edge in out[name]:
            if edge.target in path:
                back.add(edge)
            elif edge.target not in done:
                walk(edge.target, path)
        path.discard(name)
        done.add(name)

    for name in diagram.nodes:
        if name not in done:
            walk(name, set())
    return frozenset(back)


def rows(diagram: Diagram) -> list[list[str]]:
    """Boxes by row: each box one row below the lowest box pointing to it (loops left out); a box
    nothing points to sits just above the first box it feeds."""
    back = back_edges(diagram)
    forward = [e for e in diagram.edges if e not in back]
    row = dict.fromkeys(diagram.nodes, 0)
    for _ in range(len(diagram.nodes)):
        changed = False
        for edge in forward:
            if row[edge.target] < row[edge.source] + 1:
                row[edge.target] = row[edge.source] + 1
                changed = True
        if not changed:
            break
    fed = {e.target for e in forward}
    for name in diagram.nodes:
        targets = [row[e.target] for e in forward if e.source == name]
        if name not in fed and targets:
            row[name] = max(row[name], min(targets) - 1)
    result: list[list[str]] = []
    for name in diagram.nodes:
        while len(result) <= row[name]:
            result.append([])
        result[row[name]].append(name)
    # A crowded row spills into a new row below it.
    spread: list[list[str]] = []
    for names in result:
        for start in range(0, len(names), MAX_PER_ROW):
            spread.append(names[start:start + MAX_PER_ROW])
    return [names for names in spread if names]


def _wrapped(name: str) -> list[str]:
    words, lines = name.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > CHARS_PER_LINE:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    return lines[:2]


def render_svg(diagram: Diagram, key: str) -> str:
    """The diagram as an inline SVG: boxes, arrows and labels, classes for the stylesheet, the
    title as its accessible name. `key` makes its ids unique on the page."""
    layout = rows(diagram)
    widest = max(len(r) for r in layout)
    level = {name: n for n, names in enumerate(layout) for name in names}
    loops = back_edges(diagram)
    back = [e for e in diagram.edges if level[e.target] < level[e.source] or e in loops]
    top = MARGIN + (GAP_Y // 3 if back else 0)  # room for loops to come in above their box
    inner = MARGIN * 2 + widest * BOX_W + (widest - 1) * GAP_X
    width = inner + CHANNEL * len(back) + (MARGIN if back else 0)
    height = 2 * top + len(layout) * BOX_H + (len(layout) - 1) * GAP_Y
    place: dict[str, tuple[float, float]] = {}
    for number, names in enumerate(layout):
        span = len(names) * BOX_W + (len(names) - 1) * GAP_X
        left = (inner - span) / 2
        for n, name in enumerate(names):
            place[name] = (left + n * (BOX_W + GAP_X), top + number * (BOX_H + GAP_Y))
    detours = [e for e in diagram.edges if e not in back and _crosses_a_box(e, place, level, layout)]
    shift = CHANNEL * len(detours)
    if shift:  # room on the left for arrows that would otherwise run through a box
        width += shift
        inner += shift
        place = {name: (x + shift, y) for name, (x, y) in place.items()}
    marker = f"qa-arrow-{key}"
    parts = [
        # width and height: drawn at its natural size (a drawing unit is a CSS pixel), never blown up
        f'<svg class="qa-diagram__svg qa-diagram__svg--{min(widest, 3)}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-labelledby="qa-diagram-{key}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="qa-diagram-{key}-title">{diagram.title.html()}</title>',
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path class="qa-diagram__head" d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    badges = []  # a numbered badge on each labelled edge; the list under the drawing says what flows
    numbers = _badge_numbers(diagram)
    for edge in diagram.edges:
        (sx, sy), (tx, ty) = place[edge.source], place[edge.target]
        if edge in back:
            # A loop back leaves through the gap below its box, runs up its own channel along the
            # right-hand side and comes in from the gap above the box it returns to: it crosses
            # no box.
            lane = back.index(edge)
            channel = inner + CHANNEL * lane + CHANNEL / 2
            below, y2 = sy + BOX_H + GAP_Y / 4 + 4 * lane, ty - GAP_Y / 4 - 4 * lane
            y1 = (below + y2) / 2
            path = (f"M{sx + BOX_W * 0.8:.0f},{sy + BOX_H:.0f} V{below:.0f} H{channel:.0f} V{y2:.0f} "
                    f"H{tx + BOX_W * 0.8:.0f} V{ty - 2:.0f}")
            parts.append(f'<path class="qa-diagram__edge qa-diagram__edge--back" d="{path}" '
                         f'marker-end="url(#{marker})"/>')
            if edge.label:
                badges.append((channel, (y1 + y2) / 2, numbers[edge]))
            continue
        if edge in detours:
            # Down a lane along the left-hand side, around the boxes in the rows between.
            lane = detours.index(edge)
            x = CHANNEL * lane + CHANNEL / 2
            below, above = sy + BOX_H + GAP_Y / 4 + 4 * lane, ty - GAP_Y / 4 - 4 * lane
            path = (f"M{sx + BOX_W * 0.2:.0f},{sy + BOX_H:.0f} V{below:.0f} H{x:.0f} V{above:.0f} "
                    f"H{tx + BOX_W * 0.2:.0f} V{ty - 2:.0f}")
            parts.append(f'<path class="qa-diagram__edge" d="{path}" marker-end="url(#{marker})"/>')
            if edge.label:
                badges.append((x, (below + above) / 2, numbers[edge]))
            continue
        x1, x2 = sx + BOX_W / 2, tx + BOX_W / 2
        if ty > sy:  # downwards: bottom edge to top edge
            y1, y2 = sy + BOX_H, ty
        else:  # same row: side to side
            y1 = y2 = sy + BOX_H / 2
            x1, x2 = (sx + BOX_W, tx) if tx > sx else (sx, tx + BOX_W)
        parts.append(f'<line class="qa-diagram__edge" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                     f'marker-end="url(#{marker})"/>')
        if edge.label:
            # Two fifths along the arrow: arrows into one box, or out of one, do not share a spot.
            badges.append((x1 + (x2 - x1) * 0.4, y1 + (y2 - y1) * 0.4, numbers[edge]))
    for name, (x, y) in place.items():
        lines = _wrapped(name)
        parts.append(f'<rect class="qa-diagram__box" x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6"/>')
        first = y + BOX_H / 2 + 5 - (len(lines) - 1) * 8
        for n, line in enumerate(lines):
            parts.append(f'<text class="qa-diagram__name" x="{x + BOX_W / 2:.0f}" y="{first + n * 16:.0f}" '
                         f'text-anchor="middle">{html.escape(line)}</text>')
    for x, y, number in badges:
        parts.append(f'<circle class="qa-diagram__badge" cx="{x:.0f}" cy="{y:.0f}" r="11"/>'
                     f'<text class="qa-diagram__number" x="{x:.0f}" y="{y + 5:.0f}" '
                     f'text-anchor="middle">{number}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _crosses_a_box(edge: Edge, place: dict[str, tuple[float, float]], level: dict[str, int],
                   layout: list[list[str]]) -> bool:
    """Whether the straight arrow of a forward edge that skips rows runs through a box between."""
    (sx, sy), (tx, ty) = place[edge.source], place[edge.target]
    if level[edge.target] - level[edge.source] < 2:
        return False
    x1, y1, x2, y2 = sx + BOX_W / 2, sy + BOX_H, tx + BOX_W / 2, ty
    for between in range(level[edge.source] + 1, level[edge.target]):
        for name in layout[between]:
            bx, by = place[name]
            for y in (by, by + BOX_H / 2, by + BOX_H):
                x = x1 + (x2 - x1) * (y - y1) / (y2 - y1)
                if bx - 4 <= x <= bx + BOX_W + 4:
                    return True
    return False


def _badge_numbers(diagram: Diagram) -> dict[Edge, int]:
    labelled = [e for e in diagram.edges if e.label]
    return {edge: n for n, edge in enumerate(labelled, 1)}


def render_figure(diagram: Diagram, key: str) -> str:
    """The figure: its title, the drawing, then every edge as a line of text: what each numbered
    badge stands for, and the drawing's text alternative."""
    numbers = _badge_numbers(diagram)
    items = "".join(
        "<li>" + (f'<span class="qa-diagram__key">{numbers[e]}</span> ' if e in numbers else "")
        + f"{html.escape(e.source)} → {html.escape(e.target)}"
        + (f": {html.escape(e.label)}" if e.label else "") + "</li>"
        for e in diagram.edges)
    # The drawing scrolls sideways inside its block on a narrow screen rather than shrink its text.
    return (f'<figure class="qa-diagram"><figcaption>{diagram.title.html()}</figcaption>'
            f'<div class="qa-diagram__scroll">{render_svg(diagram, key)}</div>'
            f'<ul class="qa-diagram__edges" aria-label="The diagram as text">{items}</ul></figure>')
