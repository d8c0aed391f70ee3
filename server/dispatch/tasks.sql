-- A field worker's tasks: assigned to them, in their grids' pool, or their department's.
SELECT r.id, r.status, r.category_code AS category, c.name AS category_name,
       left(r.description, 200) AS description,
       ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.grid_id,
       to_char(r.deadline_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS deadline_at,
       r.escalation_level, r.assignee_worker_id IS NOT DISTINCT FROM :worker AS mine,
       r.pool_grid_id IS NOT NULL AS pool, r.version
FROM reports r JOIN report_categories c ON c.code = r.category_code
WHERE r.status IN ('dispatched', 'claimed')
  AND (r.assignee_worker_id = :worker
       OR r.pool_grid_id = ANY(CAST(:grids AS int[]))
       OR (r.assignee_worker_id IS NULL AND r.assignee_department_id = :dept))
ORDER BY r.status = 'claimed' DESC, r.deadline_at NULLS LAST, r.id
