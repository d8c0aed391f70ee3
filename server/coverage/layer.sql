-- Grids (level 'grid') in a window as a JSON array of GeoJSON features coloured by their
-- coverage in (:day, :shift); simplified by :tol degrees; scope as in grids.sql.
SELECT json_agg(f ORDER BY dedicated, fid)::text
FROM (
  SELECT g.id AS fid, g.kind = 'dedicated' AS dedicated,
         json_build_object(
           'type', 'Feature',
           'id', g.id,
           'geometry', ST_AsGeoJSON(
               CASE WHEN :tol > 0 THEN ST_Multi(ST_SimplifyPreserveTopology(g.geom, :tol))
                    ELSE g.geom END, 6)::json,
           'properties', json_build_object(
               'id', g.id, 'grid_id', g.id, 'code', g.code, 'name', g.name, 'kind', g.kind,
               'share', CASE WHEN cg.street_m > 0 THEN round(CAST(
                   least(1, coalesce(d.walked_m, 0) / cg.street_m) AS numeric), 4) END,
               'walked_m', round(CAST(coalesce(d.walked_m, 0) AS numeric), 1),
               'street_m', round(CAST(coalesce(cg.street_m, 0) AS numeric), 1),
               'patrolled', coalesce(d.walked_m, 0) > 0,
               'hours_since', CASE WHEN cg.last_at IS NOT NULL THEN
                   round(CAST(greatest(0, extract(epoch FROM
                   CAST(:now AS timestamptz) - cg.last_at)) / 3600 AS numeric), 2) END,
               'last_patrolled_at', cg.last_at)
         ) AS f
  FROM grids g
  LEFT JOIN coverage_grids cg ON cg.grid_id = g.id
  LEFT JOIN coverage_days d ON d.grid_id = g.id AND d.day = :day AND d.shift = :shift
  WHERE g.level = 'grid' AND g.retired_at IS NULL
    AND g.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)
    AND (CAST(:grid_ids AS int[]) IS NULL OR g.id = ANY(CAST(:grid_ids AS int[])))
) s
