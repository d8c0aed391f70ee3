-- Grids (level 'grid') with their coverage in one window (:day, :shift), in scope
-- (:grid_ids NULL = all) and optionally one community; :now is the injected clock.
SELECT g.id AS grid_id, g.code, g.name, g.kind,
       c.id AS community_id, c.code AS community_code, c.name AS community_name,
       round(CAST(coalesce(cg.street_m, 0) AS numeric), 1)::float8 AS street_m,
       round(CAST(coalesce(d.walked_m, 0) AS numeric), 1)::float8 AS walked_m,
       CASE WHEN cg.street_m > 0 THEN round(CAST(least(1, coalesce(d.walked_m, 0) / cg.street_m)
                                             AS numeric), 4)::float8 END AS share,
       coalesce(d.walked_m, 0) > 0 AS patrolled,
       cg.last_at AS last_patrolled_at,
       CASE WHEN cg.last_at IS NOT NULL  -- never patrolled: no figure, not zero
            THEN round(CAST(greatest(0, extract(epoch FROM CAST(:now AS timestamptz)
                                                - cg.last_at)) / 3600 AS numeric), 2)::float8
       END AS hours_since,
       coalesce((SELECT json_agg(json_build_object('id', w.id, 'name', w.name) ORDER BY w.id)
                 FROM workers w WHERE w.id = ANY(d.worker_ids)), '[]') AS workers
FROM grids g
LEFT JOIN grids c ON c.id = g.parent_id AND c.level = 'community'
LEFT JOIN coverage_grids cg ON cg.grid_id = g.id
LEFT JOIN coverage_days d ON d.grid_id = g.id AND d.day = :day AND d.shift = :shift
WHERE g.level = 'grid' AND g.retired_at IS NULL
  AND (CAST(:grid_ids AS int[]) IS NULL OR g.id = ANY(CAST(:grid_ids AS int[])))
  AND (CAST(:community_id AS int) IS NULL OR g.parent_id = :community_id)
ORDER BY c.code NULLS LAST, g.code
