-- One grid as a GeoJSON feature with its people and counts.
SELECT json_build_object(
  'type', 'Feature',
  'id', g.id,
  'geometry', ST_AsGeoJSON(g.geom, 6)::json,
  'properties', json_build_object(
    'id', g.id, 'code', g.code, 'name', g.name, 'name_en', g.name_en,
    'level', g.level, 'kind', g.kind, 'dedicated_type', g.dedicated_type,
    'parent_id', g.parent_id,
    'label', json_build_array(round(ST_X(g.label)::numeric, 6), round(ST_Y(g.label)::numeric, 6)),
    'area_m2', round(ST_Area(g.geom::geography)),
    'households', (SELECT count(*) FROM households h WHERE h.grid_id = g.id),
    'stations', (SELECT count(*) FROM stations s WHERE s.grid_id = g.id),
    'children', (SELECT count(*) FROM grids c WHERE c.parent_id = g.id
                  AND c.retired_at IS NULL),
    'head', (SELECT json_build_object('id', w.id, 'name', w.name)
             FROM worker_grids wg JOIN workers w ON w.id = wg.worker_id
             WHERE wg.grid_id = g.id AND wg.duty = 'head' ORDER BY w.id LIMIT 1),
    'workers', coalesce((SELECT json_agg(json_build_object('id', w.id, 'name', w.name,
                                                           'role', w.role, 'duty', wg.duty)
                                         ORDER BY wg.duty, w.id)
                         FROM worker_grids wg JOIN workers w ON w.id = wg.worker_id
                         WHERE wg.grid_id = g.id), '[]'::json)
  ))::text
FROM grids g
WHERE g.id = :id
