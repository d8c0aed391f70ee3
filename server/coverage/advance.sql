-- One coverage pass over the fixes received in (:since, :upto] whose fix_time is at least
-- :fix_floor. Fixes with any of the :bad flags (poor accuracy, impossible jump) are left out.
-- A usable fix is joined to the worker's previous usable fix when at most :gap before it
-- (that one may have arrived long ago, or be a later fix that arrived first), else it
-- stands alone. A worker's steps within a chunk of :chunk_s seconds (which divides the hour
-- and is at most :gap, so no gap falls inside a chunk) make one line, matched against the
-- street pieces in one index probe: a piece within :radius metres of it is walked in that
-- hour, last at the chunk's last fix (kept to within a chunk: a walk is rewritten only when
-- later by a chunk or more). (Where a late fix lands among fixes counted before,
-- its line skips those and joins the next new step straight, as a step joins two fixes.)
-- Writes the walks, the per-window totals (windows from :floor on) and each grid's latest
-- walk; returns the walks written and the grids they touched.
WITH moved AS (
  SELECT worker_id, min(fix_time) AS lo, max(fix_time) AS hi
  FROM positions
  WHERE received_at > :since AND received_at <= :upto AND fix_time >= :fix_floor
    AND flags & :bad = 0
  GROUP BY worker_id
),
fixes AS (  -- their fixes from the first new one to the last, the one before and the one after
  SELECT p.worker_id, p.fix_time AS t, p.geom,
         p.received_at > :since AND p.received_at <= :upto
           AND p.fix_time >= :fix_floor AS fresh
  FROM moved m
  JOIN positions p ON p.worker_id = m.worker_id AND p.fix_time BETWEEN m.lo AND m.hi
  WHERE p.fix_time >= :fix_floor AND p.flags & :bad = 0
  UNION ALL
  SELECT m.worker_id, b.fix_time, b.geom, false
  FROM moved m
  CROSS JOIN LATERAL (
    SELECT fix_time, geom FROM positions p
    WHERE p.worker_id = m.worker_id AND p.fix_time < m.lo
      AND p.fix_time >= m.lo - CAST(:gap AS interval) AND p.flags & :bad = 0
    ORDER BY p.fix_time DESC LIMIT 1) b
  UNION ALL
  SELECT m.worker_id, a.fix_time, a.geom, false
  FROM moved m
  CROSS JOIN LATERAL (
    SELECT fix_time, geom FROM positions p
    WHERE p.worker_id = m.worker_id AND p.fix_time > m.hi
      AND p.fix_time <= m.hi + CAST(:gap AS interval) AND p.flags & :bad = 0
    ORDER BY p.fix_time LIMIT 1) a
),
steps AS (
  SELECT worker_id, t, geom, fresh, lag(t) OVER w AS t0, lag(geom) OVER w AS g0,
         lag(fresh) OVER w AS fresh0
  FROM fixes WINDOW w AS (PARTITION BY worker_id ORDER BY t)
),
wanted AS (  -- each new fix with the step to it, and the step from a new fix to the next
  SELECT worker_id, t, geom, g0, linked, floor(extract(epoch FROM t) / :chunk_s) AS bucket
  FROM (SELECT *, t0 IS NOT NULL AND t - t0 <= CAST(:gap AS interval) AS linked
        FROM steps) s
  WHERE fresh OR (fresh0 AND linked)
),
chunks AS (  -- joined steps make one line (repeated points collapse); a lone fix a point.
             -- 3857 stretches by 1/cos(lat): the radius in its units
  SELECT worker_id, max(t) AS t, count(*) = 1 AND NOT bool_or(linked) AS lone,
         ST_Transform(ST_MakeLine(CASE WHEN linked THEN ST_MakeLine(g0, geom) ELSE geom END
                                  ORDER BY t), 3857) AS g,
         CAST(:radius AS float8) / cos(radians(min(ST_Y(geom)))) AS r
  FROM wanted GROUP BY worker_id, bucket
),
walk AS (
  SELECT pc.id AS piece_id, pc.grid_id, c.worker_id, date_trunc('hour', c.t, 'UTC') AS hour,
         max(c.t) AS last_at
  FROM chunks c
  JOIN coverage_pieces pc
    ON ST_DWithin(pc.geom_3857, CASE WHEN c.lone THEN ST_StartPoint(c.g) ELSE c.g END, c.r)
  GROUP BY 1, 2, 3, 4
),
changed AS (  -- walks that are new, or later than the one kept by a chunk or more (so a
              -- steady pass rewrites few rows and last_at stays within a chunk)
  SELECT w.*, x.last_at IS NULL AS new
  FROM walk w
  LEFT JOIN coverage_walks x
    ON x.piece_id = w.piece_id AND x.hour = w.hour AND x.worker_id = w.worker_id
  WHERE x.last_at IS NULL OR w.last_at >= x.last_at + make_interval(secs => :chunk_s)
),
spans AS (  -- the windows (a shift of a local day) each walked hour is in, from the floor on
  SELECT h.hour, u.shift, s.day, s.starts_at, s.starts_at + make_interval(hours => u.span)
           AS ends_at
  FROM (SELECT DISTINCT hour FROM changed) h
  CROSS JOIN unnest(CAST(:shift_names AS text[]), CAST(:shift_starts AS int[]),
                    CAST(:shift_spans AS int[])) u(shift, start_h, span)
  CROSS JOIN LATERAL (SELECT (h.hour AT TIME ZONE 'UTC') + CAST(:offset AS interval) AS lt) l
  CROSS JOIN LATERAL (
    SELECT d.day, (d.day + make_interval(hours => u.start_h) - CAST(:offset AS interval))
                    AT TIME ZONE 'UTC' AS starts_at
    FROM (SELECT CAST(l.lt - make_interval(hours => u.start_h) AS date) AS day) d) s
  WHERE (CAST(extract(hour FROM l.lt) AS int) - u.start_h + 24) % 24 < u.span
    AND s.starts_at >= coalesce(CAST(:floor AS timestamptz), '-infinity')
),
slots AS (
  SELECT c.*, s.shift, s.day, s.starts_at, s.ends_at FROM changed c JOIN spans s USING (hour)
),
firsts AS (  -- pieces walked in a window for the first time: their length counts once
  SELECT s.piece_id, s.grid_id, s.shift, s.day
  FROM (SELECT DISTINCT piece_id, grid_id, shift, day, starts_at, ends_at
        FROM slots WHERE new) s
  WHERE NOT EXISTS (SELECT 1 FROM coverage_walks x WHERE x.piece_id = s.piece_id
                      AND x.hour >= s.starts_at AND x.hour < s.ends_at)
),
added AS (
  SELECT f.grid_id, f.shift, f.day, sum(pc.length_m) AS m
  FROM firsts f JOIN coverage_pieces pc ON pc.id = f.piece_id
  GROUP BY 1, 2, 3
),
days AS (
  INSERT INTO coverage_days AS d (grid_id, shift, day, starts_at, ends_at, walked_m,
                                  last_at, worker_ids)
  SELECT s.grid_id, s.shift, s.day, s.starts_at, s.ends_at, coalesce(a.m, 0), s.last_at,
         s.workers
  FROM (SELECT grid_id, shift, day, min(starts_at) AS starts_at, min(ends_at) AS ends_at,
               max(last_at) AS last_at, array_agg(DISTINCT worker_id) AS workers
        FROM slots GROUP BY 1, 2, 3) s
  LEFT JOIN added a USING (grid_id, shift, day)
  ON CONFLICT (day, shift, grid_id) DO UPDATE
    SET walked_m = d.walked_m + EXCLUDED.walked_m,
        last_at = greatest(d.last_at, EXCLUDED.last_at),
        worker_ids = ARRAY(SELECT DISTINCT x FROM unnest(d.worker_ids || EXCLUDED.worker_ids) x
                           ORDER BY x)
  RETURNING 1
),
grids AS (
  UPDATE coverage_grids cg SET last_at = m.last_at
  FROM (SELECT grid_id, max(last_at) AS last_at FROM changed GROUP BY 1) m
  WHERE cg.grid_id = m.grid_id AND (cg.last_at IS NULL OR cg.last_at < m.last_at)
  RETURNING 1
),
written AS (
  INSERT INTO coverage_walks AS x (piece_id, hour, worker_id, last_at)
  SELECT piece_id, hour, worker_id, last_at FROM changed
  ON CONFLICT (piece_id, hour, worker_id) DO UPDATE
    SET last_at = greatest(x.last_at, EXCLUDED.last_at)
  RETURNING 1
)
SELECT (SELECT count(*) FROM written) AS walks,
       coalesce((SELECT array_agg(DISTINCT grid_id ORDER BY grid_id) FROM changed), '{}')
         AS grid_ids
