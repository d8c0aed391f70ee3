-- Households of the given grids with their visit target as of the given time, masked as
-- in households/points.sql (the address loses its trailing room number) and the head's
-- name reduced to its first character. Overdue first by care priority, then most
-- overdue; the rest nearest to the given point (if any), then soonest due.
WITH targets AS (
    SELECT * FROM unnest(CAST(:colors AS text[]), CAST(:days AS int[]), CAST(:ranks AS int[]))
        AS t(color, days, rank)
),
due AS (
    SELECT h.id, h.grid_id, h.head_name, h.address, h.care_color, h.geom, t.days, t.rank,
           v.last_at,
           coalesce(v.last_at, h.created_at) + make_interval(days => t.days) AS due_at
    FROM households h
    JOIN targets t ON t.color = h.care_color
    LEFT JOIN LATERAL (
        SELECT max(hv.visited_at) AS last_at FROM household_visits hv
         WHERE hv.household_id = h.id AND hv.visited_at <= CAST(:now AS timestamptz)) v ON true
    WHERE h.grid_id = ANY(CAST(:grid_ids AS int[]))
)
SELECT d.id AS household_id, d.grid_id,
       left(d.head_name, 1) || repeat('*', greatest(char_length(d.head_name) - 1, 1)) AS name,
       regexp_replace(d.address, '[0-9]+$', '**') AS address,
       d.care_color, round(ST_X(d.geom)::numeric, 6)::float8 AS lon,
       round(ST_Y(d.geom)::numeric, 6)::float8 AS lat, d.days AS every_days,
       d.last_at AS last_visited_at, d.due_at,
       d.due_at < CAST(:now AS timestamptz) AS overdue,
       greatest(floor(extract(epoch FROM CAST(:now AS timestamptz) - d.due_at) / 86400), 0)::int
           AS overdue_days,
       CASE WHEN CAST(:near_lon AS float8) IS NOT NULL THEN round(ST_Distance(
           d.geom::geography,
           ST_SetSRID(ST_MakePoint(CAST(:near_lon AS float8), CAST(:near_lat AS float8)), 4326)
               ::geography)::numeric, 1)::float8 END AS distance_m
FROM due d
ORDER BY (d.due_at < CAST(:now AS timestamptz)) DESC,
         CASE WHEN d.due_at < CAST(:now AS timestamptz) THEN d.rank END,
         CASE WHEN d.due_at < CAST(:now AS timestamptz) THEN d.due_at END,
         distance_m NULLS LAST, d.due_at, d.id
LIMIT :limit
