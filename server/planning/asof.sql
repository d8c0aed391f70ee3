-- The grid versions valid at :at in a window, as a JSON array of GeoJSON features with the
-- same properties as /api/grids plus version, valid_from and valid_to (null: open-ended).
SELECT json_agg(f ORDER BY lvl, fid)::text
FROM (
  SELECT v.grid_id AS fid,
         array_position(ARRAY['county','street','community','grid','micro'], v.level) AS lvl,
         json_build_object(
           'type', 'Feature',
           'id', v.grid_id,
           'geometry', ST_AsGeoJSON(
               CASE WHEN :tol > 0 THEN ST_Multi(ST_SimplifyPreserveTopology(v.geom, :tol))
                    ELSE v.geom END, 6)::json,
           'properties', json_build_object(
               'id', v.grid_id, 'code', v.code, 'name', v.name, 'name_en', v.name_en,
               'level', v.level, 'kind', v.kind, 'dedicated_type', v.dedicated_type,
               'parent_id', v.parent_id,
               'label', json_build_array(round(ST_X(l.pt)::numeric, 6),
                                         round(ST_Y(l.pt)::numeric, 6)),
               'version', v.version,
               'valid_from', CASE WHEN isfinite(v.valid_from) THEN v.valid_from END,
               'valid_to', v.valid_to)
         ) AS f
  FROM grid_versions v
  CROSS JOIN LATERAL (SELECT ST_PointOnSurface(v.geom) AS pt) l
  WHERE v.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)
    AND v.valid_from <= :at AND (v.valid_to IS NULL OR v.valid_to > :at)
    AND (CAST(:level AS text) IS NULL OR v.level = :level)
    AND (CAST(:kind AS text) IS NULL OR v.kind = :kind)
) s
