#!/bin/sh
# Install the pinned browser libraries (package-lock.json) and copy their
# distribution files and licences into web/vendor/, which is committed.
# Run from anywhere: sh web/scripts/vendor.sh
set -eu

WEB=$(cd "$(dirname "$0")/.." && pwd)
cd "$WEB"
npm ci --no-audit --no-fund

NM="$WEB/node_modules"
OUT="$WEB/vendor"
rm -rf "$OUT/leaflet" "$OUT/leaflet.vectorgrid"
mkdir -p "$OUT/leaflet/images" "$OUT/leaflet.vectorgrid"

# Leaflet: UMD build, stylesheet, marker/layer images, licence.
cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$OUT/leaflet/"
cp "$NM/leaflet/dist/images/"*.png "$OUT/leaflet/images/"
cp "$NM/leaflet/LICENSE" "$OUT/leaflet/LICENSE"

# Leaflet.VectorGrid: the bundled build (includes pbf, vector-tile,
# geojson-vt, topojson-client). The package ships no LICENSE file; its licence
# (Beerware) is stated in its README, so keep that section verbatim.
cp "$NM/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js" "$OUT/leaflet.vectorgrid/"
{
  echo "Leaflet.VectorGrid $(node -p "require('$NM/leaflet.vectorgrid/package.json').version")"
  echo "License: $(node -p "require('$NM/leaflet.vectorgrid/package.json').license")"
  echo "(from the package README, section 'Legalese')"
  echo
  sed -n '/^## Legalese/,$p' "$NM/leaflet.vectorgrid/README.md" | sed '1d'
  echo
  echo "The bundled build also contains these dependencies, under their own licences:"
  echo "geojson-vt (ISC), pbf (BSD-3-Clause), vector-tile (BSD-3-Clause),"
  echo "topojson-client (BSD-3-Clause), point-geometry (ISC), ieee754 (BSD-3-Clause)."
  for dep in pbf vector-tile topojson-client ieee754; do
    for f in "$NM/$dep/LICENSE" "$NM/$dep/LICENSE.txt" "$NM/$dep/LICENSE.md"; do
      if [ -f "$f" ]; then
        echo
        echo "---------------------------------------------------------------- $dep"
        cat "$f"
      fi
    done
  done
} > "$OUT/leaflet.vectorgrid/LICENSE"

echo "vendored into $OUT:"
find "$OUT" -type f | sort | sed "s|$WEB/||"
