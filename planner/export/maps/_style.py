"""How the map pages look: colours, the team palette, legend swatches and the pages' CSS.

`team_palette` gives every team of a province its own colour (distinct for 40 teams and
more), `text_colour` the number colour that reads on it; `_STYLE` is the stylesheet every
page carries and `_HATCH` the SVG pattern isolated communes are filled with. The team page's
own stylesheet is in `team.py`.
"""

from __future__ import annotations

import math

COVERAGE_COLOURS = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5")  # 0, 1, 2, 3+ passes
REACH_COLOURS = ("#ffffcc", "#c2e699", "#78c679", "#31a354", "#006837")
OUTSIDE_PLAN_COLOUR = "#bdbdbd"
UNSERVED_COLOUR = "#d32f2f"
ISOLATED_COLOUR = "#e65100"
LAUNCH_COLOUR = "#c62828"  # the launch parades on the national page
TERRITORY_COLOUR = "#0d47a1"  # a team's territory, dashed, on its page
WARNING_COLOUR = "#b71c1c"

# -- team colours ----------------------------------------------------------------------------------

_PALETTE_LIGHTNESS = (0.50, 0.68, 0.38)  # OKLab lightness of the palette's rings, in use order
_PALETTE_CHROMA = 0.16


def _oklch_rgb(lightness: float, chroma: float, hue: float) -> tuple[float, float, float]:
    """An OKLCh colour (hue in radians) as sRGB components, not clipped (Ottosson's matrices)."""
    a, b = chroma * math.cos(hue), chroma * math.sin(hue)
    l_ = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
    m_ = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
    s_ = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
    linear = (
        4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
        -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
        -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_,
    )

    def encode(c: float) -> float:
        return (
            12.92 * c if c <= 0.0031308 else 1.055 * math.copysign(abs(c) ** (1 / 2.4), c) - 0.055
        )

    r, g, b_ = (encode(c) for c in linear)
    return r, g, b_


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02x}" for c in rgb)


def team_palette(n: int) -> list[str]:
    """`n` colours for `n` teams, all told apart on a map (`n` of 40 or more too).

    Hues are evenly spaced around the OKLCh circle (a perceptual colour space, so that no
    stretch of greens eats half the palette) on up to three lightness rings: one ring for up
    to 10 teams, two up to 22, three beyond; each ring's hues sit between the previous
    ring's. A colour outside sRGB loses chroma until it fits. The colours are then dealt out
    with a stride of about n/2.6, so that teams next to each other in the list (often
    neighbouring districts) get far-apart hues. 40 teams are at least 11 CIELAB units apart.
    """
    if n <= 0:
        return []
    rings = _PALETTE_LIGHTNESS[: 1 if n <= 10 else 2 if n <= 22 else 3]
    per_ring = math.ceil(n / len(rings))
    colours: list[str] = []
    for i in range(n):
        ring, k = divmod(i, per_ring)
        hue = 2 * math.pi * (k + ring / len(rings)) / per_ring + 0.5
        chroma = _PALETTE_CHROMA
        rgb = _oklch_rgb(rings[ring], chroma, hue)
        while chroma > 0 and not all(-1e-9 <= c <= 1 + 1e-9 for c in rgb):
            chroma = max(0.0, chroma - 0.005)
            rgb = _oklch_rgb(rings[ring], chroma, hue)
        colours.append(_hex(rgb))
    stride = max(1, round(n / 2.618))
    while math.gcd(stride, n) != 1:
        stride += 1
    return [colours[(i * stride) % n] for i in range(n)]


def _luminance(colour: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour(background: str) -> str:
    """White or near-black, whichever reads better on `background` (#rrggbb)."""
    lum = _luminance(background)
    return "#fff" if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / (0.0056 + 0.05)) else "#111"


def _swatch(colour: str, *, border: str = "#555", dashed: bool = False) -> str:
    style = f"background:{colour};border-color:{border}"
    if dashed:
        style += ";border-style:dashed;border-width:2px"
    return f'<span class="pl-sw" style="{style}"></span>'


# -- the pages' stylesheet -------------------------------------------------------------------------


_STYLE = """
<style>
.pl-stop, .pl-base, .pl-label { background: none; border: none; }
.pl-stop span, .pl-base span {
  display: block; box-sizing: border-box; width: 26px; height: 26px; border-radius: 50%;
  border: 2px solid #fff; box-shadow: 0 0 3px rgba(0, 0, 0, .7); color: #fff;
  font: bold 12px/22px Arial, sans-serif; text-align: center;
}
.pl-stop-conference span { border-radius: 3px; border: 3px solid #ffd600; line-height: 20px; }
.pl-base span { border-radius: 3px; background: #212121; font-size: 14px; }
.pl-cluster { background: none; border: none; }
.pl-cluster span {
  display: block; box-sizing: border-box; border-radius: 50%; border: 2px solid #fff;
  box-shadow: 0 0 0 3px rgba(0, 0, 0, .28), 0 1px 6px rgba(0, 0, 0, .6);
  font: bold 13px Arial, sans-serif; text-align: center; cursor: pointer;
}
.pl-far .pl-stop span, .pl-far .pl-base span { transform: scale(.8); }
.pl-farther .pl-stop span, .pl-farther .pl-base span { transform: scale(.62); }
.pl-teams { list-style: none; padding-left: 0 !important; }
.pl-teams li { margin: 2px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pl-teams li.pl-idle { opacity: .4; }
.pl-teams .pl-line { display: inline-block; width: 22px; height: 6px; border-radius: 3px;
  vertical-align: middle; margin-right: 5px; }
.pl-daynav button { min-width: 34px; }
.pl-label span {
  display: inline-block; transform: translate(-50%, -50%); white-space: nowrap;
  font: 600 12px/1.2 Arial, sans-serif; color: #263238; pointer-events: none;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff;
}
.pl-panel {
  position: absolute; z-index: 1000; left: 10px; bottom: 26px; max-width: 320px;
  max-height: calc(100vh - 120px); overflow: auto; background: rgba(255, 255, 255, .95); padding: 8px 10px;
  border-radius: 6px; box-shadow: 0 1px 5px rgba(0, 0, 0, .4); font: 13px/1.35 Arial, sans-serif;
}
.pl-panel summary { cursor: pointer; font-weight: bold; min-height: 24px; }
.pl-panel table { border-collapse: collapse; margin: 4px 0; }
.pl-panel td { padding: 1px 6px 1px 0; vertical-align: top; }
.pl-panel td.n { text-align: right; }
.pl-panel button { margin: 4px 4px 4px 0; padding: 6px 10px; font-size: 13px; cursor: pointer; }
.pl-panel ul { margin: 4px 0; padding-left: 18px; }
.pl-panel a { color: #0d47a1; }
.pl-sw { display: inline-block; width: 14px; height: 12px; border: 1px solid #555;
  vertical-align: middle; margin-right: 4px; }
.pl-note { color: #555; font-size: 12px; margin: 4px 0; }
.pl-filter label { display: inline-block; margin: 4px 6px 2px 0; }
.pl-filter select { font-size: 13px; padding: 3px; max-width: 150px; }
@media (max-width: 800px) {
  .pl-panel { bottom: 48px; max-width: 85vw; max-height: calc(100vh - 140px); }
}
.pl-pop { font: 13px/1.4 Arial, sans-serif; }
.pl-pop a.pl-nav { display: inline-block; margin-top: 4px; }
</style>
"""


_HATCH = """
<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
<pattern id="pl-hatch" patternUnits="userSpaceOnUse" width="8" height="8"
 patternTransform="rotate(45)"><rect width="8" height="8" fill="#e65100" fill-opacity="0.10"/>
<line x1="0" y1="0" x2="0" y2="8" stroke="#e65100" stroke-width="3" stroke-opacity="0.8"/>
</pattern></defs></svg>
"""
