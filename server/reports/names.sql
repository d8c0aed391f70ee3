-- Names around a report for the detail panel.
SELECT g.name AS grid_name, cm.name AS community_name, st.name AS street_name,
       w.name AS assignee_name, d.name AS department_name, r.resolved_at, r.closed_at
FROM reports r
LEFT JOIN grids g ON g.id = r.grid_id
LEFT JOIN grids cm ON cm.id = r.community_id
LEFT JOIN grids st ON st.id = r.street_id
LEFT JOIN workers w ON w.id = r.assignee_worker_id
LEFT JOIN departments d ON d.id = r.assignee_department_id
WHERE r.id = :id
