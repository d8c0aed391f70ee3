-- Grid boundaries; comprehensive grids and below only from z12.
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e),
mvt AS (
  SELECT ST_AsMVTGeom(g.geom_3857, env.e, 4096, 64, true) AS geom,
         g.id, g.name, g.level, g.kind, g.code
  FROM grids g, env
  WHERE g.geom_3857 && env.e AND g.retired_at IS NULL
    AND (:z >= 12 OR g.level IN ('county', 'street', 'community'))
)
SELECT ST_AsMVT(mvt, 'grids', 4096, 'geom') FROM mvt
