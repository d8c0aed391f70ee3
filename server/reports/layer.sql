-- Reports in a window as a JSON array of GeoJSON point features (no reporter data).
SELECT json_agg(json_build_object(
  'type', 'Feature', 'id', r.id,
  'geometry', ST_AsGeoJSON(r.geom, 6)::json,
  'properties', json_build_object(
    'id', r.id, 'category', r.category_code, 'category_name', c.name,
    'category_name_en', c.name_en, 'status', r.status, 'source', r.source,
    'created_at', r.created_at, 'grid_id', r.grid_id, 'description', left(r.description, 200))
) ORDER BY r.id)::text
FROM reports r JOIN report_categories c ON c.code = r.category_code
WHERE r.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)
  AND (CAST(:statuses AS text[]) IS NULL OR r.status = ANY(CAST(:statuses AS text[])))
  AND (CAST(:grid_ids AS int[]) IS NULL OR r.grid_id = ANY(CAST(:grid_ids AS int[])))
  AND (CAST(:since AS timestamptz) IS NULL OR r.created_at >= CAST(:since AS timestamptz))
