-- Reports as Open311 service requests, newest first: category, responsible department
-- (the assigned one, else the category's), the last public note, the first intake photo.
SELECT r.id, r.status, r.category_code, c.name, c.name_en, c.deadline_hours,
       coalesce(ad.name, cd.name) AS department_name,
       coalesce(ad.name_en, cd.name_en) AS department_name_en,
       r.description, r.address, r.reject_reason, r.created_at, r.updated_at, r.deadline_at,
       ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat,
       (SELECT s.note FROM report_steps s
         WHERE s.report_id = r.id AND s.note IS NOT NULL
           AND s.action = ANY(CAST(:public_actions AS text[]))
         ORDER BY s.at DESC, s.id DESC LIMIT 1) AS last_note,
       (SELECT p.token FROM photos p
         WHERE p.report_id = r.id AND p.kind = 'intake' ORDER BY p.id LIMIT 1) AS photo
FROM reports r
JOIN report_categories c ON c.code = r.category_code
LEFT JOIN departments cd ON cd.id = c.department_id
LEFT JOIN departments ad ON ad.id = r.assignee_department_id
WHERE (CAST(:ids AS int[]) IS NULL OR r.id = ANY(CAST(:ids AS int[])))
  AND (CAST(:codes AS text[]) IS NULL OR r.category_code = ANY(CAST(:codes AS text[])))
  AND (CAST(:statuses AS text[]) IS NULL OR r.status = ANY(CAST(:statuses AS text[])))
  AND (CAST(:since AS timestamptz) IS NULL OR r.created_at >= CAST(:since AS timestamptz))
  AND (CAST(:until AS timestamptz) IS NULL OR r.created_at <= CAST(:until AS timestamptz))
ORDER BY r.created_at DESC, r.id DESC
LIMIT :limit
