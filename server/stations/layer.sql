-- Stations in a window as a JSON array of GeoJSON point features.
SELECT json_agg(json_build_object(
  'type', 'Feature', 'id', s.id,
  'geometry', ST_AsGeoJSON(s.geom, 6)::json,
  'properties', json_build_object(
    'id', s.id, 'code', s.code, 'name', s.name, 'grid_id', s.grid_id, 'address', s.address,
    'services', s.services, 'areas', s.areas, 'opening_hours', s.opening_hours,
    'phone', s.phone,
    'on_duty_today', coalesce((SELECT json_agg(w.name ORDER BY w.id)
                               FROM station_duties d JOIN workers w ON w.id = d.worker_id
                               WHERE d.station_id = s.id
                                 AND d.weekday = extract(isodow FROM now())), '[]'::json))
) ORDER BY s.id)::text
FROM stations s
WHERE s.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)
  AND (CAST(:grid_ids AS int[]) IS NULL OR s.grid_id = ANY(CAST(:grid_ids AS int[])))
