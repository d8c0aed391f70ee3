-- Street centrelines; arterials only when zoomed out.
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e),
mvt AS (
  SELECT ST_AsMVTGeom(r.geom_3857, env.e, 4096, 64, true) AS geom, r.name, r.class
  FROM roads r, env
  WHERE r.geom_3857 && env.e AND (:z >= 13 OR r.class = 'arterial')
)
SELECT ST_AsMVT(mvt, 'streets', 4096, 'geom') FROM mvt
