-- The caller's SOS at the given point or their latest known one; an unclosed SOS is kept.
WITH here AS (
    SELECT coalesce(CAST(:lon AS float8), ST_X(ws.geom)) AS lon,
           coalesce(CAST(:lat AS float8), ST_Y(ws.geom)) AS lat,
           coalesce(CAST(:home AS int), ws.grid_id) AS grid_id
    FROM (SELECT 1) one LEFT JOIN worker_state ws ON ws.worker_id = :w
),
made AS (
    INSERT INTO alerts (kind, worker_id, grid_id, started_at, raised_at, lon, lat, note, data)
    SELECT 'sos', :w, grid_id, clock_timestamp(), clock_timestamp(), lon, lat, :note,
           '{"priority": "high"}'::jsonb
    FROM here
    ON CONFLICT (worker_id, kind) WHERE status <> 'closed' DO NOTHING
    RETURNING id, worker_id, grid_id, lon, lat, started_at
),
kept AS (
    SELECT id, worker_id, grid_id, lon, lat, started_at FROM made
    UNION ALL
    SELECT id, worker_id, grid_id, lon, lat, started_at FROM alerts
     WHERE worker_id = :w AND kind = 'sos' AND status <> 'closed'
)
SELECT k.*, 'sos' AS kind, w.name AS worker_name,
       coalesce((SELECT array_agg(wg.grid_id ORDER BY wg.grid_id) FROM worker_grids wg
                  WHERE wg.worker_id = k.worker_id), '{}') AS grid_ids
FROM kept k JOIN workers w ON w.id = k.worker_id
LIMIT 1
