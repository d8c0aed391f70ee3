-- Store a batch of checked fixes with their grid; move each worker's latest state to its
-- newest fix that is not a jump. Set-based: one statement per batch.
WITH f AS (
  -- One JSON parameter for the whole batch: far cheaper to send than a dozen arrays.
  SELECT t.worker_id, t.device_id, t.fix_time, t.lon, t.lat, t.accuracy, t.speed, t.heading,
         t.altitude, t.battery, t.flags, t.prev_grid,
         ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326) AS geom
  FROM json_to_recordset(CAST(:fixes AS json))
       AS t(worker_id int, device_id text, fix_time timestamptz, lon float8, lat float8,
            accuracy float8, speed float8, heading float8, altitude float8, battery int2,
            flags int2, prev_grid int)
), placed AS (
  -- The worker's previous grid first (one polygon by key, fixes in grid order so PostGIS
  -- reuses its prepared polygon), the general lookup only when they left it.
  SELECT f.*, COALESCE(
           CASE WHEN ST_Intersects((SELECT g.geom FROM grids g
                                     WHERE g.id = f.prev_grid AND g.level = 'grid'
                                       AND g.kind = 'comprehensive'
                                       AND g.retired_at IS NULL), f.geom)
                THEN f.prev_grid END,
           (SELECT g.id FROM grids g
            WHERE g.level = 'grid' AND g.kind = 'comprehensive' AND g.retired_at IS NULL
              AND ST_Intersects(g.geom, f.geom)
            ORDER BY g.id LIMIT 1)) AS grid_id
  FROM (SELECT * FROM f ORDER BY prev_grid) f
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
  RETURNING worker_id
)
SELECT (SELECT count(*) FROM stored), (SELECT count(*) FROM stored WHERE flags <> 0),
       (SELECT array_agg(worker_id) FROM latest)
