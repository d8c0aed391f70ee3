-- Per grid as of the given time: households, overdue visits per care color, households
-- visited in the last 7 days. No grid ids means every grid; no community every community.
WITH targets AS (
    SELECT * FROM unnest(CAST(:colors AS text[]), CAST(:days AS int[])) AS t(color, days)
),
hh AS (
    SELECT h.id, h.grid_id, h.care_color, h.created_at
    FROM households h JOIN grids g ON g.id = h.grid_id AND g.retired_at IS NULL
    WHERE (CAST(:grid_ids AS int[]) IS NULL OR h.grid_id = ANY(CAST(:grid_ids AS int[])))
      AND (CAST(:community_id AS int) IS NULL OR g.parent_id = CAST(:community_id AS int))
),
last AS (
    SELECT hv.household_id, max(hv.visited_at) AS last_at
    FROM household_visits hv JOIN hh ON hh.id = hv.household_id
    WHERE hv.visited_at <= CAST(:now AS timestamptz)
    GROUP BY hv.household_id
),
state AS (
    SELECT hh.grid_id, hh.care_color, l.last_at,
           coalesce(l.last_at, hh.created_at) + make_interval(days => t.days)
               < CAST(:now AS timestamptz) AS overdue
    FROM hh JOIN targets t ON t.color = hh.care_color
    LEFT JOIN last l ON l.household_id = hh.id
),
per AS (
    SELECT grid_id, count(*) AS households, count(*) FILTER (WHERE overdue) AS overdue_total,
           count(*) FILTER (WHERE overdue AND care_color = 'red') AS red,
           count(*) FILTER (WHERE overdue AND care_color = 'orange') AS orange,
           count(*) FILTER (WHERE overdue AND care_color = 'yellow') AS yellow,
           count(*) FILTER (WHERE overdue AND care_color = 'blue') AS blue,
           count(*) FILTER (WHERE overdue AND care_color = 'green') AS green,
           count(*) FILTER (WHERE last_at > CAST(:now AS timestamptz) - interval '7 days')
               AS visited_7d
    FROM state GROUP BY grid_id
)
SELECT g.id AS grid_id, g.code, g.name, g.name_en, c.id AS community_id,
       c.name AS community_name, c.name_en AS community_name_en, p.households, p.overdue_total,
       json_build_object('red', p.red, 'orange', p.orange, 'yellow', p.yellow,
                         'blue', p.blue, 'green', p.green) AS overdue_by_color,
       p.visited_7d
FROM per p
JOIN grids g ON g.id = p.grid_id
LEFT JOIN grids c ON c.id = g.parent_id AND c.level = 'community'
ORDER BY p.overdue_total DESC, g.code
