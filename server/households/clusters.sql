-- Households aggregated into cells of :cell degrees: counts per care color, no personal data.
SELECT json_agg(json_build_object(
  'type', 'Feature',
  'geometry', json_build_object('type', 'Point', 'coordinates',
                                json_build_array(round(lon::numeric, 6), round(lat::numeric, 6))),
  'properties', json_build_object(
    'id', 'c' || cx || '_' || cy, 'cluster', true, 'count', n,
    'colors', json_build_object('red', red, 'orange', orange, 'yellow', yellow,
                                'blue', blue, 'green', green))
) ORDER BY cx, cy)::text
FROM (
  SELECT floor(ST_X(geom) / :cell)::bigint AS cx, floor(ST_Y(geom) / :cell)::bigint AS cy,
         avg(ST_X(geom)) AS lon, avg(ST_Y(geom)) AS lat, count(*) AS n,
         count(*) FILTER (WHERE care_color = 'red') AS red,
         count(*) FILTER (WHERE care_color = 'orange') AS orange,
         count(*) FILTER (WHERE care_color = 'yellow') AS yellow,
         count(*) FILTER (WHERE care_color = 'blue') AS blue,
         count(*) FILTER (WHERE care_color = 'green') AS green
  FROM households
  WHERE geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326)
    AND (CAST(:grid_ids AS int[]) IS NULL OR grid_id = ANY(CAST(:grid_ids AS int[])))
  GROUP BY 1, 2
) c
