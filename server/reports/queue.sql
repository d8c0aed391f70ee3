-- The center's lists: the intake queue by status, or everything open past its deadline.
SELECT r.id, r.status, r.source, r.category_code AS category, c.name AS category_name,
       c.name_en AS category_name_en, left(r.description, 120) AS description,
       r.created_at, r.deadline_at, r.escalation_level, r.grid_id, g.name AS grid_name,
       w.name AS assignee_name, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.version,
       (SELECT '/media/' || p.token || '.thumb.jpg' FROM photos p
         WHERE p.report_id = r.id AND p.kind = 'intake' ORDER BY p.id LIMIT 1) AS thumb_url
FROM reports r
JOIN report_categories c ON c.code = r.category_code
LEFT JOIN grids g ON g.id = r.grid_id
LEFT JOIN workers w ON w.id = r.assignee_worker_id
WHERE CASE WHEN :overdue
           THEN r.status IN ('dispatched', 'claimed') AND r.deadline_at < now()
           ELSE r.status = ANY(CAST(:statuses AS text[])) END
ORDER BY CASE WHEN :overdue THEN r.deadline_at ELSE r.created_at END, r.id
LIMIT :limit
