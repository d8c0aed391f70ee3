-- Grids in a window as a JSON array of GeoJSON features, simplified by :tol degrees.
SELECT json_agg(f ORDER BY lvl, fid)::text
FROM (
  SELECT g.id AS fid,
         array_position(ARRAY['county','street','community','grid','micro'], g.level) AS lvl,
         json_build_object(
           'type', 'Feature',
           'id', g.id,
           'geometry', ST_AsGeoJSON(
               CASE WHEN :tol > 0 THEN ST_Multi(ST_SimplifyPreserveTopology(g.geom, :tol))
                    ELSE g.geom END, 6)::json,
           'properties', json_build_object(
               'id', g.id, 'code', g.code, 'name', g.name, 'name_en', g.name_en,
               'level', g.level, 'kind', g.kind, 'dedicated_type', g.dedicated_type,
               'parent_id', g.parent_id,
               'label', json_build_array(round(ST_X(g.label)::numeric, 6),
                                         round(ST_Y(g.label)::numeric, 6)))
         ) AS f
  FROM grids g
  WHERE g.retired_at IS NULL
    AND g.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)
    AND (CAST(:level AS text) IS NULL OR g.level = :level)
    AND (CAST(:kind AS text) IS NULL OR g.kind = :kind)
) s
