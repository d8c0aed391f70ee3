-- What publishing a draft would move, one row per move, grids named by plan key (an
-- existing grid's key is its id). Households, stations and blocks go to the comprehensive
-- grid that holds them (a point inside before one on a shared edge; a block to the grid
-- holding most of it); open reports stay in their grid while it still holds them, else go
-- where intake would put them (dedicated first); a new or reshaped dedicated grid takes
-- the open reports inside it. Only rows in or near the edited grids are looked at.
WITH pg AS (
  SELECT key, grid_id, action, kind, geom FROM plan_grids WHERE plan_id = :plan
), touched AS (  -- grids that lose area or go
  SELECT grid_id FROM pg WHERE action IN ('change', 'retire') AND grid_id IS NOT NULL
), drawn AS (    -- shapes that gain area
  SELECT geom FROM pg WHERE action IN ('change', 'new')
), members AS (
  SELECT grid_id FROM pg WHERE grid_id IS NOT NULL
), households_ AS (
  SELECT h.id, h.grid_id, h.geom FROM households h WHERE h.grid_id IN (SELECT * FROM touched)
  UNION
  SELECT h.id, h.grid_id, h.geom FROM households h JOIN drawn d ON ST_Intersects(h.geom, d.geom)
  WHERE h.grid_id IN (SELECT * FROM members)
), stations_ AS (
  SELECT s.id, s.grid_id, s.geom, s.name FROM stations s
  WHERE s.grid_id IN (SELECT * FROM touched)
  UNION
  SELECT s.id, s.grid_id, s.geom, s.name FROM stations s
  JOIN drawn d ON ST_Intersects(s.geom, d.geom)
  WHERE s.grid_id IN (SELECT * FROM members)
), blocks_ AS (
  SELECT b.id, b.grid_id, b.geom FROM blocks b WHERE b.grid_id IN (SELECT * FROM touched)
  UNION
  SELECT b.id, b.grid_id, b.geom FROM blocks b JOIN drawn d ON ST_Intersects(b.geom, d.geom)
  WHERE b.grid_id IN (SELECT * FROM members)
), reports_ AS (
  SELECT r.id, r.grid_id, r.geom FROM reports r
  WHERE r.grid_id IN (SELECT * FROM touched) AND r.status NOT IN ('rejected', 'merged', 'archived')
  UNION
  SELECT r.id, r.grid_id, r.geom FROM reports r JOIN drawn d ON ST_Intersects(r.geom, d.geom)
  WHERE r.grid_id IN (SELECT * FROM members) AND r.status NOT IN ('rejected', 'merged', 'archived')
), moves AS (
  SELECT 'household' AS what, p.id, CAST(p.grid_id AS text) AS from_key, t.key AS to_key,
         NULL AS name
  FROM households_ p CROSS JOIN LATERAL (
    SELECT l.key FROM plan_grids l
    WHERE l.plan_id = :plan AND l.action <> 'retire' AND l.kind = 'comprehensive'
      AND ST_Intersects(l.geom, p.geom)
    ORDER BY ST_Contains(l.geom, p.geom) DESC, length(l.key), l.key LIMIT 1) t
  UNION ALL
  SELECT 'station', p.id, CAST(p.grid_id AS text), t.key, p.name
  FROM stations_ p CROSS JOIN LATERAL (
    SELECT l.key FROM plan_grids l
    WHERE l.plan_id = :plan AND l.action <> 'retire' AND l.kind = 'comprehensive'
      AND ST_Intersects(l.geom, p.geom)
    ORDER BY ST_Contains(l.geom, p.geom) DESC, length(l.key), l.key LIMIT 1) t
  UNION ALL
  SELECT 'block', p.id, CAST(p.grid_id AS text), t.key, NULL
  FROM blocks_ p CROSS JOIN LATERAL (
    SELECT l.key FROM plan_grids l
    WHERE l.plan_id = :plan AND l.action <> 'retire' AND l.kind = 'comprehensive'
      AND ST_Intersects(l.geom, p.geom)
    ORDER BY ST_Area(ST_Intersection(l.geom, p.geom)) DESC, length(l.key), l.key LIMIT 1) t
  UNION ALL
  SELECT 'report', p.id, CAST(p.grid_id AS text), coalesce(
      (SELECT l.key FROM plan_grids l
       WHERE l.plan_id = :plan AND l.action IN ('change', 'new') AND l.kind = 'dedicated'
         AND ST_Intersects(l.geom, p.geom) ORDER BY length(l.key), l.key LIMIT 1),
      (SELECT l.key FROM plan_grids l
       WHERE l.plan_id = :plan AND l.grid_id = p.grid_id AND l.action <> 'retire'
         AND ST_Intersects(l.geom, p.geom)),
      (SELECT l.key FROM plan_grids l
       WHERE l.plan_id = :plan AND l.action <> 'retire' AND ST_Intersects(l.geom, p.geom)
       ORDER BY l.kind = 'dedicated' DESC, ST_Contains(l.geom, p.geom) DESC,
                length(l.key), l.key LIMIT 1)), NULL
  FROM reports_ p
)
SELECT what, id, from_key, to_key, name FROM moves
WHERE to_key IS NOT NULL AND to_key IS DISTINCT FROM from_key
ORDER BY what, id
