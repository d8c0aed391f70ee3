-- Store a batch of checked fixes with their grid; move each worker's latest state to its
-- newest fix that is not a jump. Set-based: one statement per batch.
WITH f AS (
  SELECT t.*, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326) AS geom
  FROM unnest(CAST(:worker_ids AS int[]), CAST(:devices AS text[]),
              CAST(:times AS timestamptz[]), CAST(:lons AS float8[]), CAST(:lats AS float8[]),
              CAST(:accuracies AS float8[]), CAST(:speeds AS float8[]),
              CAST(:headings AS float8[]), CAST(:altitudes AS float8[]),
              CAST(:batteries AS int2[]), CAST(:flags AS int2[]), CAST(:prev_grids AS int[]))
       AS t(worker_id, device_id, fix_time, lon, lat, accuracy, speed, heading, altitude,
            battery, flags, prev_grid)
), placed AS (
  -- The worker's previous grid first (one polygon), the general lookup only when they left it.
  SELECT f.*, COALESCE(
           (SELECT g.id FROM grids g
            WHERE g.id = f.prev_grid AND g.level = 'grid' AND g.kind = 'comprehensive'
              AND ST_Intersects(g.geom, f.geom)),
           (SELECT g.id FROM grids g
            WHERE g.level = 'grid' AND g.kind = 'comprehensive'
              AND ST_Intersects(g.geom, f.geom)
            ORDER BY g.id LIMIT 1)) AS grid_id
  FROM f
), stored AS (
  INSERT INTO positions (worker_id, fix_time, device_id, geom, grid_id, accuracy, speed,
                         heading, altitude, battery, flags)
  SELECT worker_id, fix_time, device_id, geom, grid_id, accuracy, speed, heading, altitude,
         battery, flags
  FROM placed
  ON CONFLICT DO NOTHING
  RETURNING flags
), latest AS (
  INSERT INTO worker_state AS s (worker_id, geom, grid_id, fix_time, received_at, status,
                                 on_duty, speed, heading, accuracy, changed_at)
  SELECT DISTINCT ON (worker_id) worker_id, geom, grid_id, fix_time, now(), 'online', true,
         speed, heading, accuracy, clock_timestamp()
  FROM placed WHERE flags & CAST(:jump AS int2) = 0
  ORDER BY worker_id, fix_time DESC
  ON CONFLICT (worker_id) DO UPDATE
    SET geom = EXCLUDED.geom, grid_id = EXCLUDED.grid_id, fix_time = EXCLUDED.fix_time,
        received_at = EXCLUDED.received_at, status = 'online', speed = EXCLUDED.speed,
        heading = EXCLUDED.heading, accuracy = EXCLUDED.accuracy,
        changed_at = EXCLUDED.changed_at
    WHERE s.fix_time <= EXCLUDED.fix_time
  RETURNING 1
)
SELECT (SELECT count(*) FROM stored), (SELECT count(*) FROM stored WHERE flags <> 0),
       (SELECT count(*) FROM latest)
