"""Write a comparison into its folder: compare.csv, team_changes.csv, index.html, sweep.png.

`write_comparison(comparison, out_dir)` writes, atomically (a temporary sibling folder swapped
into place by `planner.output_folder`, so a killed run leaves the old folder whole):

- `compare.csv`: the tidy table of every figure and difference (`planner.compare.table`);
- `team_changes.csv`: one row per stop added, removed or moved, per plan and team;
- `notes.txt`: the caveats, one a line (the structure mapping's first when there is one), in
  the page's language;
- `index.html`: the page (`planner.compare.html`), with Leaflet inside it;
- `sweep.png`: the sweep curve, when `sweep` is given (also inside index.html).

The folder is replaced as a whole, and only when it is missing, empty or an earlier comparison
(`force` for a plan folder; a folder of anything else never): give it its own folder (the
default `outputs/compare/` under the current folder, or `<sweep out>/compare/`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from planner import __version__
from planner.compare.chart import SweepCurve, sweep_chart
from planner.compare.diff import CompareError, Comparison
from planner.compare.html import comparison_page
from planner.compare.table import write_compare_csv, write_team_changes_csv
from planner.errors import DataError
from planner.export import _offline
from planner.geo.load import GeoData, load_geodata
from planner.messages import Lang, check_lang, localize, msg
from planner.output_folder import Manifest, write_folder

__all__ = ["DEFAULT_OUT", "load_map_geography", "write_comparison"]

DEFAULT_OUT = Path("outputs") / "compare"


def load_map_geography(comparison: Comparison, *, data_dir: Path | None = None) -> GeoData:
    """The polygons of the comparison's structure, for the provinces it compares."""
    codes = sorted({u.province_code for u in comparison.provinces})
    return load_geodata(comparison.structure, data_dir=data_dir, province_codes=codes)


def write_comparison(
    comparison: Comparison,
    out_dir: Path = DEFAULT_OUT,
    *,
    sweep: SweepCurve | None = None,
    geo: GeoData | None = None,
    data_dir: Path | None = None,
    force: bool = False,
    lang: str = "vi",
    title: str | None = None,
) -> Path:
    """Write the comparison's files into `out_dir` (replaced as a whole); return `out_dir`.

    geo: the map's polygons; loaded from data/geo (or `data_dir`) when not given. When they
        cannot be loaded, the page is written without its map and says so.
    sweep: the sweep's points and varied fields, drawn as sweep.png and shown on the page.
    lang: the language of the page, the picture and notes.txt ("vi", the default, or "en").
    title: the page's title (default: "So sánh: <the plans' titles>").
    """
    language: Lang = check_lang(lang)
    out_dir = Path(out_dir)
    resolved = out_dir.resolve()
    for plan in comparison.plans:
        folder = plan.folder.resolve()
        if resolved == folder or resolved in folder.parents:
            raise CompareError(msg("compare.error.would_replace", out=out_dir, plan=plan.folder))
    page_notes: list[str] = []
    if geo is None:
        try:
            geo = load_map_geography(comparison, data_dir=data_dir)
        except DataError as error:
            page_notes.append(msg("compare.map_left_out", error=error))

    def write(folder: Path) -> None:
        write_compare_csv(comparison, folder / "compare.csv")
        write_team_changes_csv(comparison, folder / "team_changes.csv")
        (folder / "notes.txt").write_text(
            "".join(f"{localize(note, language)}\n" for note in (*comparison.notes, *page_notes)),
            encoding="utf-8",
        )
        png = None
        if sweep is not None:
            png_path = sweep_chart(
                sweep.points, folder / "sweep.png", field_names=sweep.field_names, lang=language
            )
            png = png_path.read_bytes()
        shown = comparison
        if page_notes:
            shown = replace(comparison, notes=(*comparison.notes, *page_notes))
        page = comparison_page(shown, geo=geo, sweep_png=png, lang=language, title=title)
        _offline.check_offline(page, out_dir / "index.html")
        (folder / "index.html").write_text(page, encoding="utf-8")

    write_folder(out_dir, Manifest(kind="compare", planner_version=__version__), write, force=force)
    return out_dir
