-- The measurable side of each grid's workload: households by care color and residents (by
-- the grid they are filed in), valid reports of the last :days days, area, street length
-- inside the grid, and metres walked per day over the last 7 local days (coverage, shift
-- 'all'). Sides:
--   without :plan  'before' = the living grids under the communities :parents (the map);
--   with :plan     'before' = the living grids the draft copied (under :parents, if given)
--                  as they are now, 'after' = the draft's grids that differ from them
--                  (households for these are counted from the moves, in workload.py).
WITH sides AS (
  SELECT 'before' AS side, CAST(g.id AS text) AS key, g.id AS grid_id, g.code, g.name,
         g.kind, g.parent_id, g.geom
  FROM grids g
  WHERE CASE WHEN CAST(:plan AS int) IS NULL
             THEN g.level = 'grid' AND g.retired_at IS NULL
                  AND g.parent_id = ANY(CAST(:parents AS int[]))
             ELSE g.id IN (SELECT p.grid_id FROM plan_grids p
                           WHERE p.plan_id = :plan AND p.grid_id IS NOT NULL
                             AND (CAST(:parents AS int[]) IS NULL
                                  OR p.parent_id = ANY(CAST(:parents AS int[])))) END
  UNION ALL
  SELECT 'after', p.key, p.grid_id, p.code, p.name, p.kind, p.parent_id, p.geom
  FROM plan_grids p
  WHERE p.plan_id = :plan AND p.action IN ('change', 'new')
    AND (CAST(:parents AS int[]) IS NULL OR p.parent_id = ANY(CAST(:parents AS int[])))
)
SELECT s.side, s.key, s.grid_id, s.code, s.name, s.kind, s.parent_id,
       ST_Area(CAST(s.geom AS geography)) AS area_m2,
       coalesce((SELECT sum(ST_Length(CAST(ST_Intersection(r.geom, s.geom) AS geography)))
                 FROM roads r WHERE ST_Intersects(r.geom, s.geom)), 0) AS street_m,
       (SELECT count(*) FROM reports r
        WHERE r.created_at >= now() - make_interval(days => :days)
          AND r.status NOT IN ('rejected', 'merged') AND ST_Intersects(r.geom, s.geom))
         AS reports,
       coalesce((SELECT sum(d.walked_m) FROM coverage_days d
                 WHERE d.grid_id = s.grid_id AND d.shift = 'all'
                   AND d.day > CAST(:today AS date) - 7 AND d.day <= :today), 0) / 7.0
         AS patrol_m,
       CASE WHEN s.side = 'before' THEN
         (SELECT json_object_agg(h.care_color, h.n) FROM (
            SELECT care_color, count(*) AS n FROM households
            WHERE grid_id = s.grid_id GROUP BY care_color) h) END AS care,
       CASE WHEN s.side = 'before' THEN
         (SELECT coalesce(sum(residents), 0) FROM households WHERE grid_id = s.grid_id)
       END AS residents
FROM sides s
ORDER BY s.side, length(s.key), s.key
