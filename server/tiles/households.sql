-- Households: counts per cell when zoomed out, care color per point from z16. No names.
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e, CAST(:cell AS float8) AS cell),
pts AS (
  SELECT h.geom_3857 AS g, h.id, h.care_color
  FROM households h, env
  WHERE h.geom_3857 && env.e
    AND (CAST(:grid_ids AS int[]) IS NULL OR h.grid_id = ANY(CAST(:grid_ids AS int[])))
),
cells AS (
  SELECT ST_Centroid(ST_Collect(g)) AS g, NULL::int AS id, count(*) AS count,
         count(*) FILTER (WHERE care_color = 'red') AS red, NULL::text AS care_color
  FROM pts, env WHERE :z < 16
  GROUP BY floor(ST_X(g) / env.cell), floor(ST_Y(g) / env.cell)
  UNION ALL
  SELECT g, id, 1, (care_color = 'red')::int, care_color FROM pts WHERE :z >= 16
),
mvt AS (
  SELECT ST_AsMVTGeom(c.g, env.e, 4096, 64, true) AS geom, c.id, c.count, c.red, c.care_color
  FROM cells c, env
)
SELECT ST_AsMVT(mvt, 'households', 4096, 'geom') FROM mvt
