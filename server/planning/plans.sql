-- Plans as the API shows them (one by :id, or all with :status or any), newest first.
SELECT p.id, p.name, p.scope_id, s.name AS scope_name, p.status, p.version,
       u.display_name AS created_by, p.created_at, p.updated_at, p.effective_at,
       p.published_at,
       coalesce((SELECT json_object_agg(c.action, c.n)
                 FROM (SELECT action, count(*) AS n FROM plan_grids
                       WHERE plan_id = p.id GROUP BY action) c), '{}') AS counts
FROM plans p
JOIN grids s ON s.id = p.scope_id
LEFT JOIN users u ON u.id = p.created_by
WHERE (CAST(:id AS int) IS NULL OR p.id = :id)
  AND (CAST(:status AS text) IS NULL OR p.status = :status)
ORDER BY p.updated_at DESC, p.id DESC
LIMIT 500
