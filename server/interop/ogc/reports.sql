-- A page of public report points: id, category, status, created time and grid, nothing
-- the reporter wrote. Sensitive categories are placed at coordinates rounded to about
-- 100 m, and the bbox filters the published point, so a window cannot home in on a door.
WITH published AS (
  SELECT r.id, r.category_code, c.name AS category_name, c.name_en AS category_name_en,
         r.status, r.created_at, r.grid_id,
         r.category_code = ANY(CAST(:sensitive AS text[])) AS coarse,
         ST_SetSRID(ST_MakePoint(
           round(ST_X(r.geom)::numeric, CASE WHEN r.category_code = ANY(
                 CAST(:sensitive AS text[])) THEN :coarse_digits ELSE 7 END)::float8,
           round(ST_Y(r.geom)::numeric, CASE WHEN r.category_code = ANY(
                 CAST(:sensitive AS text[])) THEN :coarse_digits ELSE 7 END)::float8),
           4326) AS geom
  FROM reports r
  JOIN report_categories c ON c.code = r.category_code
  WHERE (CAST(:minx AS float8) IS NULL
         OR r.geom && ST_Expand(ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326), 0.001))
    AND (CAST(:id AS int) IS NULL OR r.id = :id)
    AND (CAST(:since AS timestamptz) IS NULL OR r.created_at >= CAST(:since AS timestamptz))
    AND (CAST(:until AS timestamptz) IS NULL OR r.created_at <= CAST(:until AS timestamptz))
), matched AS (
  SELECT * FROM published p
  WHERE CAST(:minx AS float8) IS NULL
     OR ST_Intersects(p.geom, ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326))
), page AS (
  SELECT p.id, json_build_object(
           'type', 'Feature', 'id', p.id,
           'geometry', ST_AsGeoJSON(p.geom, 7)::json,
           'properties', json_build_object(
             'id', p.id, 'category', p.category_code, 'category_name', p.category_name,
             'category_name_en', p.category_name_en, 'status', p.status,
             'created_at', to_char(p.created_at AT TIME ZONE 'UTC',
                                   'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
             'grid_id', p.grid_id, 'coarse_location', p.coarse)) AS f
  FROM matched p ORDER BY p.id LIMIT :limit OFFSET :offset
)
SELECT (SELECT count(*) FROM matched) AS matched,
       (SELECT count(*) FROM page) AS returned,
       (SELECT json_agg(f ORDER BY id)::text FROM page) AS features,
       (SELECT md5(f::text) FROM page WHERE CAST(:id AS int) IS NOT NULL) AS etag
