-- Latest worker positions in a window; field roles see colleagues of their own grids only.
SELECT json_agg(json_build_object(
  'type', 'Feature', 'id', w.id,
  'geometry', ST_AsGeoJSON(s.geom, 6)::json,
  'properties', json_build_object(
    'id', w.id, 'name', w.name, 'role', w.role, 'grid_id', s.grid_id,
    'home_grid_id', (SELECT min(grid_id) FROM worker_grids wg
                     WHERE wg.worker_id = w.id AND wg.duty <> 'linked'),
    'status', s.status, 'on_duty', s.on_duty, 'device_id', w.device_id,
    'fix_time', s.fix_time, 'speed', s.speed, 'heading', s.heading)
) ORDER BY w.id)::text
FROM worker_state s JOIN workers w ON w.id = s.worker_id
WHERE s.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)
  AND w.active
  AND (CAST(:grid_ids AS int[]) IS NULL OR EXISTS (
        SELECT 1 FROM worker_grids wg
        WHERE wg.worker_id = w.id AND wg.grid_id = ANY(CAST(:grid_ids AS int[]))))
