-- Each collection's spatial extent (and the reports' first and last creation times);
-- :only names the one collection wanted (NULL: all), so the others are not scanned.
SELECT 'grids' AS id, ST_XMin(e) AS minx, ST_YMin(e) AS miny, ST_XMax(e) AS maxx,
       ST_YMax(e) AS maxy, NULL::timestamptz AS first, NULL::timestamptz AS last
FROM (SELECT ST_Extent(geom) AS e FROM grids WHERE retired_at IS NULL) g
WHERE CAST(:only AS text) IS NULL OR CAST(:only AS text) = 'grids'
UNION ALL
SELECT 'stations', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), NULL, NULL
FROM (SELECT ST_Extent(geom) AS e FROM stations) s
WHERE CAST(:only AS text) IS NULL OR CAST(:only AS text) = 'stations'
UNION ALL
SELECT 'reports', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), first, last
FROM (SELECT ST_Extent(geom) AS e, min(created_at) AS first, max(created_at) AS last
      FROM reports) r
WHERE CAST(:only AS text) IS NULL OR CAST(:only AS text) = 'reports'
