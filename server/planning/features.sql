-- A draft's grids as a JSON array of GeoJSON features, at full precision so that a vertex
-- sent back unmoved is the same vertex; retired ones included (action 'retire').
SELECT json_agg(json_build_object(
         'type', 'Feature',
         'id', key,
         'geometry', ST_AsGeoJSON(geom, 15)::json,
         'properties', json_build_object(
             'key', key, 'grid_id', grid_id, 'action', action, 'code', code, 'name', name,
             'name_en', name_en, 'level', level, 'kind', kind,
             'dedicated_type', dedicated_type, 'parent_id', parent_id,
             'head_worker_id', head_worker_id, 'worker_ids', worker_ids))
       ORDER BY kind, length(key), key)::text
FROM plan_grids
WHERE plan_id = :plan
