-- The blocks to regroup: every block filed in a living comprehensive grid of the
-- communities :communities, with that grid, its community, its households by care color and
-- residents (through its buildings), the valid reports of the last :days days nearest to it,
-- and its share of its grid's area and street length (by block area and by outline), so
-- that the blocks of a grid add up to the grid's own figures.
WITH grids_ AS (
  SELECT g.id, g.parent_id, g.geom, ST_Area(CAST(g.geom AS geography)) AS area_m2,
         coalesce((SELECT sum(ST_Length(CAST(ST_Intersection(r.geom, g.geom) AS geography)))
                   FROM roads r WHERE ST_Intersects(r.geom, g.geom)), 0) AS street_m
  FROM grids g
  WHERE g.level = 'grid' AND g.kind = 'comprehensive' AND g.retired_at IS NULL
    AND g.parent_id = ANY(CAST(:communities AS int[]))
), blocks_ AS (
  SELECT b.id, b.grid_id, g.parent_id AS community, b.geom,
         ST_Area(CAST(b.geom AS geography)) AS area_m2,
         ST_Perimeter(CAST(b.geom AS geography)) AS outline_m
  FROM blocks b JOIN grids_ g ON g.id = b.grid_id
), shares AS (
  SELECT b.id,
         g.area_m2 * b.area_m2 / nullif(sum(b.area_m2) OVER (PARTITION BY b.grid_id), 0)
           AS area_m2,
         g.street_m * b.outline_m / nullif(sum(b.outline_m) OVER (PARTITION BY b.grid_id), 0)
           AS street_m
  FROM blocks_ b JOIN grids_ g ON g.id = b.grid_id
), homes AS (
  SELECT c.block_id, json_object_agg(c.care_color, c.n) AS care, sum(c.residents) AS residents
  FROM (SELECT bu.block_id, h.care_color, count(*) AS n, sum(h.residents) AS residents
        FROM households h JOIN buildings bu ON bu.id = h.building_id
        WHERE bu.block_id IN (SELECT id FROM blocks_)
        GROUP BY bu.block_id, h.care_color) c
  GROUP BY c.block_id
), reports_ AS (
  SELECT n.id AS block_id, count(*) AS n
  FROM reports r
  CROSS JOIN LATERAL (SELECT b.id FROM blocks b
                      WHERE b.grid_id IN (SELECT id FROM grids_)
                      ORDER BY b.geom <-> r.geom LIMIT 1) n
  WHERE r.created_at >= now() - make_interval(days => :days)
    AND r.status NOT IN ('rejected', 'merged')
    AND EXISTS (SELECT 1 FROM grids c WHERE c.id = ANY(CAST(:communities AS int[]))
                AND ST_Intersects(c.geom, r.geom))
  GROUP BY n.id
)
SELECT b.id, b.grid_id, b.community, ST_AsBinary(b.geom) AS wkb,
       coalesce(s.area_m2, 0) AS area_m2, coalesce(s.street_m, 0) AS street_m,
       h.care, coalesce(h.residents, 0) AS residents, coalesce(r.n, 0) AS reports
FROM blocks_ b
JOIN shares s ON s.id = b.id
LEFT JOIN homes h ON h.block_id = b.id
LEFT JOIN reports_ r ON r.block_id = b.id
ORDER BY b.id
