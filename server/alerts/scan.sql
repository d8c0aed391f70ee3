-- One set-based pass: which workers are outside their grids or silent right now, then
-- raise what is new and close what has ended. :now is the injected clock;
-- :outside_cut = :now - outside_after, :offline_cut = :now - offline_after.
WITH duty AS (
    SELECT ws.worker_id, ws.received_at, ws.geom,
           (SELECT min(wg.grid_id) FROM worker_grids wg
             WHERE wg.worker_id = ws.worker_id AND wg.duty IN ('head', 'member')) AS home
    FROM worker_state ws JOIN workers w ON w.id = ws.worker_id AND w.active
    WHERE ws.on_duty
),
fixes AS (  -- each fix from the last one at or before the cut up to now, inside or not
    SELECT d.worker_id, p.fix_time, p.geom,
           EXISTS (SELECT 1 FROM worker_grids wg
                     JOIN grids g ON g.id = wg.grid_id AND g.retired_at IS NULL
                    WHERE wg.worker_id = d.worker_id AND wg.duty IN ('head', 'member')
                      AND ST_Intersects(g.geom, p.geom)) AS inside
    FROM duty d
    CROSS JOIN LATERAL (
        SELECT fix_time FROM positions
         WHERE worker_id = d.worker_id AND fix_time <= :outside_cut
         ORDER BY fix_time DESC LIMIT 1) f0
    JOIN positions p ON p.worker_id = d.worker_id
                    AND p.fix_time >= f0.fix_time AND p.fix_time <= :now
    WHERE d.home IS NOT NULL
),
outside AS (  -- that fix and every one since are outside: the run began before the cut
    SELECT worker_id, (array_agg(geom ORDER BY fix_time DESC))[1] AS geom
    FROM fixes GROUP BY worker_id HAVING NOT bool_or(inside)
),
cond AS (
    SELECT o.worker_id, 'outside_grid'::text AS kind, d.home AS grid_id,
           coalesce((SELECT min(p.fix_time) FROM positions p
                      WHERE p.worker_id = o.worker_id AND p.fix_time <= :now
                        AND p.fix_time > coalesce((
                            SELECT max(q.fix_time) FROM positions q
                             WHERE q.worker_id = o.worker_id AND q.fix_time <= :outside_cut
                               AND q.fix_time > :lookback
                               AND EXISTS (SELECT 1 FROM worker_grids wg
                                             JOIN grids g ON g.id = wg.grid_id
                                                         AND g.retired_at IS NULL
                                            WHERE wg.worker_id = q.worker_id
                                              AND wg.duty IN ('head', 'member')
                                              AND ST_Intersects(g.geom, q.geom))),
                            :lookback)), :outside_cut) AS started_at,
           ST_X(o.geom) AS lon, ST_Y(o.geom) AS lat
    FROM outside o JOIN duty d USING (worker_id)
    UNION ALL
    SELECT d.worker_id, 'offline', d.home, d.received_at, ST_X(d.geom), ST_Y(d.geom)
    FROM duty d WHERE d.received_at < :offline_cut
),
raised AS (
    INSERT INTO alerts (kind, worker_id, grid_id, started_at, raised_at, lon, lat)
    SELECT kind, worker_id, grid_id, started_at, :now, lon, lat FROM cond
    ON CONFLICT (worker_id, kind) WHERE status <> 'closed' DO NOTHING
    RETURNING id, kind, worker_id, grid_id, lon, lat, started_at, 'raised'::text AS change
),
closed AS (
    UPDATE alerts a SET status = 'closed', closed_at = :now
    WHERE a.status <> 'closed' AND a.kind IN ('outside_grid', 'offline')
      AND NOT EXISTS (SELECT 1 FROM cond c WHERE c.worker_id = a.worker_id AND c.kind = a.kind)
    RETURNING a.id, a.kind, a.worker_id, a.grid_id, a.lon, a.lat, a.started_at,
              'closed'::text AS change
)
SELECT c.change, c.id, c.kind, c.worker_id, w.name AS worker_name, c.grid_id, c.lon, c.lat,
       c.started_at,
       coalesce((SELECT array_agg(wg.grid_id ORDER BY wg.grid_id) FROM worker_grids wg
                  WHERE wg.worker_id = c.worker_id), '{}') AS grid_ids
FROM (SELECT * FROM raised UNION ALL SELECT * FROM closed) c
JOIN workers w ON w.id = c.worker_id
ORDER BY c.id
