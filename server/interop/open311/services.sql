-- Active report categories as Open311 services, with their department (the service group).
SELECT c.code, c.name, c.name_en, c.deadline_hours,
       d.name AS department_name, d.name_en AS department_name_en
FROM report_categories c
LEFT JOIN departments d ON d.id = c.department_id
WHERE c.active AND (CAST(:code AS text) IS NULL OR c.code = CAST(:code AS text))
ORDER BY c.code
