-- Report figures per unit of the hierarchy over the last :days days (overdue counts all open).
WITH r AS (
  SELECT CASE :level WHEN 'grid' THEN grid_id WHEN 'community' THEN community_id
                     ELSE street_id END AS unit, *
  FROM reports
), window_ AS (
  SELECT * FROM r WHERE created_at >= now() - make_interval(days => :days)
), counted AS (
  SELECT unit,
         count(*) AS received,
         count(*) FILTER (WHERE status NOT IN ('rejected', 'merged')) AS valid,
         count(*) FILTER (WHERE status IN ('resolved', 'verified', 'archived')) AS completed,
         count(*) FILTER (WHERE status IN ('resolved', 'verified', 'archived')
                            AND deadline_at IS NOT NULL) AS timed,
         count(*) FILTER (WHERE status IN ('resolved', 'verified', 'archived')
                            AND resolved_at <= deadline_at) AS on_time,
         count(*) FILTER (WHERE satisfaction IS NOT NULL) AS rated,
         count(*) FILTER (WHERE satisfaction >= 4) AS satisfied
  FROM window_ GROUP BY unit
), overdue AS (
  SELECT unit, count(*) AS overdue_now FROM r
  WHERE status IN ('dispatched', 'claimed') AND deadline_at < now() GROUP BY unit
)
SELECT g.id, g.name, g.level, g.parent_id,
       coalesce(c.received, 0) AS received, coalesce(c.valid, 0) AS valid,
       coalesce(c.completed, 0) AS completed,
       round(c.completed::numeric / nullif(c.valid, 0), 4) AS completion_rate,
       round(c.on_time::numeric / nullif(c.timed, 0), 4) AS on_time_rate,
       coalesce(c.rated, 0) AS rated,
       round(c.satisfied::numeric / nullif(c.rated, 0), 4) AS satisfaction_rate,
       coalesce(o.overdue_now, 0) AS overdue_now
FROM grids g
LEFT JOIN counted c ON c.unit = g.id
LEFT JOIN overdue o ON o.unit = g.id
WHERE g.level = :level AND g.retired_at IS NULL AND (:level <> 'grid' OR g.kind = 'comprehensive')
  AND (CAST(:parent_id AS int) IS NULL OR g.parent_id = :parent_id)
ORDER BY g.code
