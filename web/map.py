"""The route as an inline SVG map, drawn from the stops' coordinates: no tile server, no script.

``route_map_svg(itinerary, *, width=480, height=320, title="", highlight_stop_id=None,
dom_id="route-map") -> str``
    ``itinerary`` is anything with ``stops`` and ``legs`` shaped like
    ``journey.itinerary``'s ``StopVisit`` and ``LegItem`` (an ``Itinerary`` of any
    audience: build it with ``build_itinerary`` so the privacy rules stay in one place;
    the map draws only what it is given). Returns safe HTML (an ``<svg>`` element
    marked safe): every label is escaped here, so templates can write ``{{ map }}``.

    The SVG scales to its container (``width: 100%``; ``width``/``height`` set the
    view box and the aspect). It is an image with an accessible name (``title``,
    default "Route map") and a ``<desc>`` listing the stops in order, so a screen
    reader gets the route as text. Cancelled stops are left out. Overnight stops and
    the two ends are labelled with their city (labels that would overlap another are
    left out); the stop ``highlight_stop_id`` (the rider's next stop, say) gets a
    ring. ``dom_id`` prefixes the ids of the title and description (two maps on one
    page need two prefixes).

The projection, outline and state lines are the PDF booklet's
(``journey.exporters.pdf.routemap``: Albers equal-area over the shipped US Census
outline), so the web map and the printed map agree. Lines are thinned again to
about a pixel at the requested size and cached per extent and size.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from journey.exporters.pdf.routemap import (
    DEFAULT_COLOR,
    Box,
    map_extent,
    outline,
    project,
    state_lines,
)

LABEL_SIZE = 14  # px in view-box units
CHAR_WIDTH = 0.6  # of the font size: a fair average for system sans-serif fonts
_HEX = set("0123456789abcdefABCDEF")


def _safe_color(value: str) -> str:
    """A route colour usable in an attribute: "#rgb" or "#rrggbb", else the default."""
    if value and value.startswith("#") and len(value) in (4, 7) and set(value[1:]) <= _HEX:
        return value
    return DEFAULT_COLOR


class _Frame:
    """From projected kilometres to view-box pixels, the extent centred in the view box."""

    def __init__(self, extent: Box, width: int, height: int, pad: float = 4.0):
        self.scale = min((width - 2 * pad) / extent.width, (height - 2 * pad) / extent.height)
        self.dx = (width - extent.width * self.scale) / 2
        self.dy = (height - extent.height * self.scale) / 2
        self.extent = extent
        self.height = height

    def point(self, x: float, y: float) -> tuple[float, float]:
        px = self.dx + (x - self.extent.x0) * self.scale
        py = self.height - (self.dy + (y - self.extent.y0) * self.scale)
        return px, py

    def path(self, lines, min_px: float = 1.5) -> str:
        parts = []
        limit = min_px / self.scale
        for xs, ys, box in lines:
            if not self.extent.meets(box):
                continue
            keep = [0]
            last_x, last_y = xs[0], ys[0]
            for i in range(1, len(xs) - 1):
                if abs(xs[i] - last_x) + abs(ys[i] - last_y) >= limit:
                    keep.append(i)
                    last_x, last_y = xs[i], ys[i]
            keep.append(len(xs) - 1)
            if len(keep) < 2:
                continue
            px = self.dx + (np.asarray(xs)[keep] - self.extent.x0) * self.scale
            py = self.height - (self.dy + (np.asarray(ys)[keep] - self.extent.y0) * self.scale)
            coords = "L".join(f"{x:.1f},{y:.1f}" for x, y in zip(px, py, strict=True))
            parts.append("M" + coords)
        return "".join(parts)


@lru_cache(maxsize=64)
def _background(extent: Box, width: int, height: int) -> str:
    frame = _Frame(extent, width, height)
    return (
        f'<path class="map-states" d="{frame.path(state_lines())}" fill="none" '
        f'stroke="#c3c9cf" stroke-width="0.8"/>'
        f'<path class="map-outline" d="{frame.path(outline().lines)}" fill="none" '
        f'stroke="#8a939b" stroke-width="1"/>'
    )


def _overlaps(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def route_map_svg(
    itinerary,
    *,
    width: int = 480,
    height: int = 320,
    title: str = "",
    highlight_stop_id: int | None = None,
    dom_id: str = "route-map",
) -> SafeString:
    """The itinerary's stops and legs over the US outline as an inline ``<svg>`` (safe HTML)."""
    stops = [s for s in itinerary.stops if not s.is_cancelled]
    legs = list(itinerary.legs)
    points: dict[int, tuple[float, float]] = {}
    for stop in stops:
        x, y = project(stop.longitude, stop.latitude)
        points[stop.id] = (float(x), float(y))
    for leg in legs:
        for end in (leg.origin, leg.destination):
            if end.id not in points:
                x, y = project(end.longitude, end.latitude)
                points[end.id] = (float(x), float(y))
    extent = map_extent(list(points.values()))
    frame = _Frame(extent, width, height)
    title = title or _("Route map")
    description = " → ".join(stop.place_name for stop in stops)
    out = [
        f'<svg class="route-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{dom_id}-title {dom_id}-desc" '
        f'preserveAspectRatio="xMidYMid meet" font-family="system-ui, sans-serif" '
        'style="width:100%;height:auto">',
        f'<title id="{dom_id}-title">{escape(title)}</title>',
        f'<desc id="{dom_id}-desc">{escape(description)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#f4f8fb"/>',
        _background(extent, width, height),
    ]
    stop_colors: dict[int, str] = {}
    for leg in legs:
        color = _safe_color(leg.route_color)
        x0, y0 = frame.point(*points[leg.origin.id])
        x1, y1 = frame.point(*points[leg.destination.id])
        out.append(
            f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="{color}" '
            f'stroke-width="3" stroke-linecap="round"/>'
        )
        for end in (leg.origin, leg.destination):
            stop_colors.setdefault(end.id, color)
    placed = []
    dots = []
    for stop in stops:
        x, y = frame.point(*points[stop.id])
        overnight = stop.kind == "overnight"
        radius = 5.0 if overnight else 3.0
        fill = stop_colors.get(stop.id, DEFAULT_COLOR) if overnight else "#55555f"
        dots.append((x, y, radius, stop))
        placed.append((x - radius, y - radius, x + radius, y + radius))
        if stop.id == highlight_stop_id:
            out.append(
                f'<circle class="map-next" cx="{x:.1f}" cy="{y:.1f}" r="{radius + 5:.1f}" '
                f'fill="none" stroke="#1b1b1f" stroke-width="2"/>'
            )
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" '
            f'stroke="#fff" stroke-width="1"/>'
        )
    ends = {stops[0].id, stops[-1].id} if stops else set()
    seen: set[str] = set()
    for x, y, radius, stop in sorted(dots, key=lambda dot: dot[3].id not in ends):
        wanted = stop.kind == "overnight" or stop.id in ends or stop.id == highlight_stop_id
        if not wanted or stop.city in seen:
            continue
        text_width = len(stop.city) * LABEL_SIZE * CHAR_WIDTH
        gap = radius + 3
        for lx, ly, anchor_x in (
            (x + gap, y + LABEL_SIZE * 0.35, x + gap),
            (x - gap - text_width, y + LABEL_SIZE * 0.35, x - gap - text_width),
            (x - text_width / 2, y - gap, x - text_width / 2),
            (x - text_width / 2, y + gap + LABEL_SIZE * 0.8, x - text_width / 2),
        ):
            box = (anchor_x - 1, ly - LABEL_SIZE * 0.85, anchor_x + text_width + 1, ly + 3)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
            if inside and not any(_overlaps(box, other) for other in placed):
                out.append(
                    f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="{LABEL_SIZE}" fill="#1b1b1f" '
                    f'paint-order="stroke" stroke="#fff" stroke-width="3" '
                    f'stroke-linejoin="round">{escape(stop.city)}</text>'
                )
                placed.append(box)
                seen.add(stop.city)
                break
    credit = _("Outline: US Census Bureau, via us-atlas.")
    out.append(
        f'<text x="{width - 4}" y="{height - 4}" font-size="9" fill="#55555f" '
        f'text-anchor="end">{escape(credit)}</text>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped
