-- Individual households, masked: the room number and the head's name are never sent here.
SELECT json_agg(json_build_object(
  'type', 'Feature', 'id', h.id,
  'geometry', ST_AsGeoJSON(h.geom, 6)::json,
  'properties', json_build_object(
    'id', h.id, 'cluster', false,
    'address', regexp_replace(h.address, '[0-9]+$', '**'),
    'care_color', h.care_color, 'grid_id', h.grid_id, 'residents', h.residents,
    'tags', h.tags)
) ORDER BY h.id)::text
FROM households h
WHERE h.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)
  AND (CAST(:grid_ids AS int[]) IS NULL OR h.grid_id = ANY(CAST(:grid_ids AS int[])))
