-- A page of grids (every level) as GeoJSON features, the number matched, and for a single
-- item its ETag: an md5 of the published columns and the full-precision geometry.
WITH matched AS (
  SELECT g.id, g.code, g.name, g.name_en, g.level, g.kind, g.dedicated_type, g.parent_id,
         g.geom
  FROM grids g
  WHERE g.retired_at IS NULL
    AND (CAST(:minx AS float8) IS NULL
         OR ST_Intersects(g.geom, ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)))
    AND (CAST(:id AS int) IS NULL OR g.id = :id)
), page AS (
  SELECT * FROM matched ORDER BY id LIMIT :limit OFFSET :offset
)
SELECT (SELECT count(*) FROM matched) AS matched,
       (SELECT count(*) FROM page) AS returned,
       (SELECT json_agg(json_build_object(
          'type', 'Feature', 'id', p.id,
          'geometry', ST_AsGeoJSON(p.geom, 7)::json,
          'properties', json_build_object(
            'id', p.id, 'code', p.code, 'name', p.name, 'name_en', p.name_en,
            'level', p.level, 'kind', p.kind, 'dedicated_type', p.dedicated_type,
            'parent_id', p.parent_id)) ORDER BY p.id)::text FROM page p) AS features,
       (SELECT md5(concat_ws('|', p.id, p.code, p.name, p.name_en, p.level, p.kind,
                             p.dedicated_type, p.parent_id, encode(ST_AsEWKB(p.geom), 'hex')))
        FROM page p WHERE CAST(:id AS int) IS NOT NULL) AS etag
