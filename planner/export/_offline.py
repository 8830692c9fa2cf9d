"""Leaflet for maps that open with no Internet.

folium links Leaflet, jQuery, Bootstrap and Font Awesome from CDNs. The maps here need
Leaflet only (popups and tooltips are bound with Leaflet's own calls, icons are CSS), and
take it from the XStatic-Leaflet package installed with the project, either

- copied once into a `lib/` folder next to the maps (`copy_assets`, `use_folder_assets`), or
- inlined into the page, the stylesheet's images as data URIs (`use_inline_assets`), for a
  page that travels alone (a team's map sent to a phone).

Each map's own `default_js` / `default_css` are replaced; folium's class attributes are never
touched. `remote_references` finds any script, stylesheet or CSS `url()` that would still be
fetched from the network; the writers call `check_offline` on every page they write.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
from branca.element import Element

_IMAGES = (
    "layers.png",
    "layers-2x.png",
    "marker-icon.png",
    "marker-icon-2x.png",
    "marker-shadow.png",
)


def leaflet_dir() -> Path:
    """The folder of leaflet.js, leaflet.css and images/ in the XStatic-Leaflet package."""
    try:
        import xstatic.pkg.leaflet as xstatic_leaflet
    except ImportError as error:  # pragma: no cover - a broken install
        raise RuntimeError(
            "the XStatic-Leaflet package is missing; reinstall the project (pip install -e .)"
        ) from error
    return Path(xstatic_leaflet.BASE_DIR)


def copy_assets(lib_dir: Path) -> list[Path]:
    """Copy leaflet.js, leaflet.css and its images into `lib_dir`; return the files written."""
    source = leaflet_dir()
    (lib_dir / "images").mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in ("leaflet.js", "leaflet.css"):
        target = lib_dir / name
        target.write_text(_strip_source_map((source / name).read_text(encoding="utf-8")), "utf-8")
        written.append(target)
    for name in _IMAGES:
        if (source / "images" / name).is_file():
            target = lib_dir / "images" / name
            shutil.copyfile(source / "images" / name, target)
            written.append(target)
    return written


def use_folder_assets(m: folium.Map, prefix: str) -> None:
    """Make `m` load Leaflet from `prefix` (e.g. "lib/" or "../lib/"), a folder `copy_assets` filled."""
    m.default_js = [("leaflet", f"{prefix}leaflet.js")]
    m.default_css = [("leaflet_css", f"{prefix}leaflet.css")]


def use_inline_assets(m: folium.Map) -> None:
    """Put Leaflet's script and stylesheet into the page itself."""
    m.default_js = []
    m.default_css = []
    m.get_root().header.add_child(  # type: ignore[attr-defined]
        Element(_inline_head()), name="leaflet_inline"
    )


@lru_cache(maxsize=1)
def _inline_head() -> str:
    source = leaflet_dir()
    css = (source / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        image = source / match.group(1)
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)
    js = _strip_source_map((source / "leaflet.js").read_text(encoding="utf-8"))
    # a literal "</script" inside the script would end the element early
    js = js.replace("</script", "<\\/script")
    return f"<style>{css}</style>\n<script>{js}</script>"


def _strip_source_map(text: str) -> str:
    return re.sub(r"/[/*]# sourceMappingURL=\S+", "", text)


_TAG = re.compile(r"<(script|link|img|iframe)\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(|@import\s+)["']?((?:https?:)?//[^"')\s]+)""", re.IGNORECASE)


def remote_references(html: str) -> list[str]:
    """Every script, stylesheet, image or frame the page would fetch from another host.

    Links the user clicks (`<a href>`) and map tiles (fetched by Leaflet from a URL template
    in the script) are not resources of the page and are not listed.
    """
    found: list[str] = []
    for tag in _TAG.finditer(html):
        if tag.group(1).lower() == "link" and "stylesheet" not in tag.group(0).lower():
            continue
        for attr in _ATTR.finditer(tag.group(0)):
            url = attr.group(1)
            if re.match(r"(?:https?:)?//", url, re.IGNORECASE):
                found.append(url)
    found.extend(match.group(1) for match in _CSS_URL.finditer(html))
    return found


def check_offline(html: str, path: Path) -> None:
    """Raise RuntimeError if the page about to be written to `path` needs the network."""
    remote = remote_references(html)
    if remote:
        raise RuntimeError(f"{path}: the page would load {', '.join(remote)} from the network")


def js_literal(value: Any) -> str:
    """`value` as a JavaScript literal that is safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text
