"""Rebuild the tiny road network the travel tests route on, and its Valhalla tiles.

The network (tiny_grid.osm.pbf), near Bắc Ninh city:
  - a 4 x 4 grid of nodes from (21.18 N, 106.06 E), 0.01 degree apart (about 1.04 km
    east-west, 1.11 km north-south);
  - the four east-west rows are `highway=primary`, maxspeed 60; the four north-south
    columns are `highway=residential`, maxspeed 30;
  - one primary road piece from (21.19, 106.20) to (21.19, 106.21), joined to nothing:
    no route leads there from the grid (the "island").

Valhalla tiles (valhalla_tiles/) are built with pyvalhalla 3.9.1's valhalla_build_tiles;
pyvalhalla 3.2.0 (the last release with a Python 3.11 wheel, the one the dev extra
installs) reads them and answers matrices (tests/travel/test_valhalla_engine.py).

Run with Python >= 3.12 (pyvalhalla >= 3.6 ships the tile builder; those wheels are
cp312-abi3), from this folder:

    python3.12 -m venv /tmp/net && /tmp/net/bin/pip install osmium pyvalhalla==3.9.1
    /tmp/net/bin/python make_tiny_network.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import osmium

HERE = Path(__file__).resolve().parent
PBF = HERE / "tiny_grid.osm.pbf"
TILES = HERE / "valhalla_tiles"
SOUTH_WEST = (21.18, 106.06)
STEP = 0.01
SIDE = 4
ISLAND = ((21.19, 106.20), (21.19, 106.21))
META = {"version": 1, "timestamp": "2020-05-01T00:00:00Z", "changeset": 1, "uid": 1}


def grid_node_id(row: int, col: int) -> int:
    return 1 + row * SIDE + col


def write_network(path: Path) -> None:
    """The grid and the island road as an OSM PBF file."""
    path.unlink(missing_ok=True)
    writer = osmium.SimpleWriter(str(path))
    lat0, lon0 = SOUTH_WEST
    for row in range(SIDE):
        for col in range(SIDE):
            location = (lon0 + col * STEP, lat0 + row * STEP)
            writer.add_node(
                osmium.osm.mutable.Node(id=grid_node_id(row, col), location=location, **META)
            )
    way_id = 1
    for row in range(SIDE):
        nodes = [grid_node_id(row, col) for col in range(SIDE)]
        tags = {"highway": "primary", "maxspeed": "60"}
        writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=nodes, tags=tags, **META))
        way_id += 1
    for col in range(SIDE):
        nodes = [grid_node_id(row, col) for row in range(SIDE)]
        tags = {"highway": "residential", "maxspeed": "30"}
        writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=nodes, tags=tags, **META))
        way_id += 1
    for node_id, (lat, lon) in enumerate(ISLAND, start=100):
        writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon, lat), **META))
    island = osmium.osm.mutable.Way(id=100, nodes=[100, 101], tags={"highway": "primary"}, **META)
    writer.add_way(island)
    writer.close()


def build_valhalla_tiles(pbf: Path, tiles: Path) -> None:
    """valhalla_build_tiles over the PBF, into a fresh tiles folder."""
    import valhalla
    from valhalla import get_config

    shutil.rmtree(tiles, ignore_errors=True)
    tiles.mkdir()
    config = get_config(tile_extract="", tile_dir=str(tiles), verbose=False)
    config["mjolnir"]["concurrency"] = 1
    with tempfile.TemporaryDirectory() as work:
        config_path = Path(work) / "valhalla.json"
        config_path.write_text(json.dumps(config), encoding="utf-8")
        builder = Path(valhalla.__file__).parent / "bin" / "valhalla_build_tiles"
        command = [str(builder), "-c", str(config_path), "-j", "1", str(pbf)]
        subprocess.run(command, check=True, cwd=work, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    write_network(PBF)
    build_valhalla_tiles(PBF, TILES)
    print(f"wrote {PBF.name} and {sorted(str(p.relative_to(HERE)) for p in TILES.rglob('*.gph'))}")
