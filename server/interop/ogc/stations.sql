-- A page of stations (public fields only: no duty rota, which names people) as GeoJSON
-- features, the number matched, and for a single item an md5 of what is published.
WITH matched AS (
  SELECT s.id, s.code, s.name, s.grid_id, s.address, s.services, s.areas,
         s.opening_hours, s.phone, s.geom
  FROM stations s
  WHERE (CAST(:minx AS float8) IS NULL
         OR ST_Intersects(s.geom, ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)))
    AND (CAST(:id AS int) IS NULL OR s.id = :id)
), page AS (
  SELECT p.id, json_build_object(
           'type', 'Feature', 'id', p.id,
           'geometry', ST_AsGeoJSON(p.geom, 7)::json,
           'properties', json_build_object(
             'id', p.id, 'code', p.code, 'name', p.name, 'grid_id', p.grid_id,
             'address', p.address, 'services', p.services, 'areas', p.areas,
             'opening_hours', p.opening_hours, 'phone', p.phone)) AS f
  FROM matched p ORDER BY p.id LIMIT :limit OFFSET :offset
)
SELECT (SELECT count(*) FROM matched) AS matched,
       (SELECT count(*) FROM page) AS returned,
       (SELECT json_agg(f ORDER BY id)::text FROM page) AS features,
       (SELECT md5(f::text) FROM page WHERE CAST(:id AS int) IS NOT NULL) AS etag
