-- City blocks, from z12.
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e),
mvt AS (
  SELECT ST_AsMVTGeom(b.geom_3857, env.e, 4096, 64, true) AS geom, b.id
  FROM blocks b, env
  WHERE b.geom_3857 && env.e AND :z >= 12
)
SELECT ST_AsMVT(mvt, 'blocks', 4096, 'geom') FROM mvt
