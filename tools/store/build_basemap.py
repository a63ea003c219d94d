"""Build the offline world basemap (src/treffpunkt/web/static/world.geojson).

Source: Natural Earth 1:110m countries (public domain), as shipped inside the
geopandas 0.14 wheel on PyPI (geopandas/datasets/naturalearth_lowres). The
shapefile and its dBASE table are read here with the standard library, the
coordinates rounded to 0.1 degree, and one GeoJSON Feature written per country.

    pip download geopandas==0.14.4 --no-deps -d /tmp/wheels
    python tools/store/build_basemap.py /tmp/wheels/geopandas-0.14.4-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import json
import struct
import zipfile
from pathlib import Path

_BASE = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
_OUT = Path(__file__).resolve().parents[2] / "src/treffpunkt/web/static/world.geojson"


def _dbf_rows(data: bytes) -> list[dict[str, str]]:
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\x00")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for i in range(n_records):
        rec = data[header_len + i * record_len : header_len + (i + 1) * record_len]
        off, row = 1, {}  # byte 0 is the deletion flag
        for name, size in fields:
            row[name] = rec[off : off + size].decode("utf-8", "replace").strip()
            off += size
        rows.append(row)
    return rows


def _signed_area(ring: list[tuple[float, float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def _shp_polygons(data: bytes) -> list[list[list[list[tuple[float, float]]]]]:
    """Each record -> a list of polygons, each a list of rings (outer first)."""
    out = []
    pos = 100
    while pos < len(data):
        _num, length = struct.unpack(">ii", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length * 2]
        pos += 8 + length * 2
        shape_type = struct.unpack("<i", body[:4])[0]
        if shape_type == 0:
            out.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44 : 44 + 4 * n_parts])) + [n_points]
        pts_off = 44 + 4 * n_parts
        points = [struct.unpack("<2d", body[pts_off + 16 * k : pts_off + 16 * k + 16]) for k in range(n_points)]
        polygons: list[list[list[tuple[float, float]]]] = []
        for a, b in zip(parts, parts[1:], strict=False):
            ring = points[a:b]
            # Shapefile outer rings run clockwise (negative area), holes counter-clockwise.
            if _signed_area(ring) <= 0 or not polygons:
                polygons.append([ring])
            else:
                polygons[-1].append(ring)
        out.append(polygons)
    return out


def _round_ring(ring: list[tuple[float, float]], outer: bool) -> list[list[float]]:
    pts: list[list[float]] = []
    for x, y in ring:
        p = [round(x, 1), round(y, 1)]
        if not pts or pts[-1] != p:
            pts.append(p)
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    # RFC 7946: exterior rings counter-clockwise, holes clockwise.
    ccw = _signed_area([tuple(p) for p in pts]) > 0
    if ccw != outer:
        pts.reverse()
    return pts


def build(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as z:
        shp = z.read(_BASE + ".shp")
        dbf = z.read(_BASE + ".dbf")
    features = []
    for row, polygons in zip(_dbf_rows(dbf), _shp_polygons(shp), strict=True):
        coords = []
        for poly in polygons:
            rings = [_round_ring(r, i == 0) for i, r in enumerate(poly)]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                coords.append(rings)
        if not coords:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": row.get("name"),
                    "iso_a3": row.get("iso_a3"),
                    "continent": row.get("continent"),
                },
                "geometry": {"type": "MultiPolygon", "coordinates": coords},
            }
        )
    return {
        "type": "FeatureCollection",
        "attribution": "Made with Natural Earth (public domain), 1:110m countries, via the geopandas 0.14 wheel",
        "features": features,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wheel", type=Path)
    ap.add_argument("--output", type=Path, default=_OUT)
    args = ap.parse_args()
    fc = build(args.wheel)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(fc, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(fc['features'])} countries, {args.output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
