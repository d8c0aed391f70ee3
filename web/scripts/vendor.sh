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
rm -rf "$OUT/leaflet" "$OUT/leaflet.vectorgrid" "$OUT/leaflet-geoman"
mkdir -p "$OUT/leaflet/images" "$OUT/leaflet.vectorgrid" "$OUT/leaflet-geoman"

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

# Leaflet-Geoman (free edition): the planner's editor. Its dist build bundles its
# dependencies (lodash, turf, polyclip-ts …), so their licences go into the same
# file, found from the lockfile rather than listed by hand. The source map is left
# out (1.2 MB); the trailing sourceMappingURL comment is dropped with it.
GM="$NM/@geoman-io/leaflet-geoman-free"
sed '/^\/\/# sourceMappingURL=/d' "$GM/dist/leaflet-geoman.js" > "$OUT/leaflet-geoman/leaflet-geoman.js"
sed '/^\/\*# sourceMappingURL=.*\*\/$/d' "$GM/dist/leaflet-geoman.css" > "$OUT/leaflet-geoman/leaflet-geoman.css"
{
  echo "Leaflet-Geoman free $(node -p "require('$GM/package.json').version") ($(node -p "require('$GM/package.json').license"))"
  echo
  cat "$GM/LICENSE"
  echo
  echo "The build bundles these packages, under their own licences:"
  node -e '
    const lock = require(process.argv[1]);
    const seen = new Set();
    const walk = (name) => {
      const pkg = lock.packages["node_modules/" + name] || {};
      for (const dep of Object.keys(pkg.dependencies || {})) {
        if (!seen.has(dep)) { seen.add(dep); walk(dep); }
      }
    };
    walk("@geoman-io/leaflet-geoman-free");
    console.log([...seen].filter((n) => !n.startsWith("@types/")).sort().join("\n"));
  ' "$WEB/package-lock.json" | while read -r dep; do
    echo
    echo "---------------------------------------------------------------- $dep $(node -p "const p = require('$NM/$dep/package.json'); p.version + ' (' + p.license + ')'")"
    for f in "$NM/$dep"/LICEN[CS]E*; do
      [ -f "$f" ] && cat "$f"
    done
  done
} > "$OUT/leaflet-geoman/LICENSE"

echo "vendored into $OUT:"
find "$OUT" -type f | sort | sed "s|$WEB/||"
