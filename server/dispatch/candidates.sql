-- Field workers for a report: the responsible grid's people first, then the nearest online
-- workers (KNN on latest positions), with distance and open workload.
WITH r AS (SELECT geom, grid_id FROM reports WHERE id = :id),
responsible AS (
  SELECT wg.worker_id FROM worker_grids wg, r
  WHERE wg.grid_id = r.grid_id AND wg.duty IN ('head', 'member')
),
nearest AS (
  SELECT s.worker_id FROM worker_state s JOIN workers w ON w.id = s.worker_id, r
  WHERE s.status = 'online' AND w.active AND w.role IN ('grid_head', 'grid_worker')
  ORDER BY s.geom <-> r.geom
  LIMIT :limit
),
pick AS (SELECT worker_id FROM responsible UNION SELECT worker_id FROM nearest)
SELECT w.id, w.name, w.role, s.grid_id, coalesce(s.status, 'offline') AS status,
       coalesce(s.on_duty, false) AS on_duty,
       ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat,
       round(ST_Distance(s.geom::geography, r.geom::geography)) AS distance_m,
       w.id IN (SELECT worker_id FROM responsible) AS responsible,
       (SELECT count(*) FROM reports o WHERE o.assignee_worker_id = w.id
          AND o.status IN ('dispatched', 'claimed')) AS open_tasks
FROM pick JOIN workers w ON w.id = pick.worker_id
LEFT JOIN worker_state s ON s.worker_id = w.id, r
ORDER BY responsible DESC, (coalesce(s.status, 'offline') = 'online') DESC,
         distance_m NULLS LAST, w.id
