-- Copy the living grids under the scope (its children and grandchildren at level 'grid',
-- comprehensive and dedicated) into a new plan, keyed by id; remember their versions.
WITH copied AS (
  INSERT INTO plan_grids (plan_id, key, grid_id, action, code, name, name_en, level, kind,
                          dedicated_type, parent_id, geom)
  SELECT :plan, CAST(g.id AS text), g.id, 'keep', g.code, g.name, g.name_en, g.level, g.kind,
         g.dedicated_type, g.parent_id, g.geom
  FROM grids g
  WHERE g.level = 'grid' AND g.retired_at IS NULL
    AND (g.parent_id = :scope
         OR g.parent_id IN (SELECT c.id FROM grids c
                            WHERE c.parent_id = :scope AND c.retired_at IS NULL))
  RETURNING grid_id
)
UPDATE plans SET base = coalesce(
  (SELECT jsonb_object_agg(CAST(g.id AS text), g.version)
   FROM grids g JOIN copied c ON c.grid_id = g.id), '{}')
WHERE id = :plan
