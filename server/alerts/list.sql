-- Alerts, SOS first then newest; :grid_ids NULL means every grid, :worker_id the caller's own.
SELECT a.id, a.kind, a.status, CASE WHEN a.kind = 'sos' THEN 'high' ELSE 'normal' END AS priority,
       a.worker_id, w.name AS worker_name, a.grid_id, a.lon, a.lat, a.started_at, a.raised_at,
       a.acknowledged_by, a.acknowledged_at, a.closed_at, a.note
FROM alerts a JOIN workers w ON w.id = a.worker_id
WHERE (CAST(:status AS text) IS NULL OR a.status = :status)
  AND (CAST(:grid_ids AS int[]) IS NULL OR a.grid_id = ANY(CAST(:grid_ids AS int[]))
       OR a.worker_id = :worker_id)
  AND (CAST(:id AS int) IS NULL OR a.id = :id)
ORDER BY (a.kind = 'sos' AND a.status <> 'closed') DESC, a.raised_at DESC, a.id DESC
LIMIT 500
