-- Street pieces of every grid (level 'grid', comprehensive and dedicated), rebuilt whole.
--
-- Each road is clipped to each grid grown by 1 m, so a street on the border of two
-- grids (the usual case: grids are unions of blocks) belongs to both, then split into
-- equal pieces of at most `piece_m` true metres (split in EPSG:3857, which keeps ratios of
-- length locally). Walks are keyed by piece, so they go too. Per-window totals of windows
-- starting at `replay_from` or later are dropped and `replay_from` becomes the floor: the
-- caller replays positions from then on, and older windows keep their totals unchanged.
-- replay_from NULL: every total is dropped and nothing is frozen (a fresh seed).
CREATE OR REPLACE FUNCTION gridlink_coverage_pieces(replay_from timestamptz,
                                                    piece_m float8 DEFAULT 25)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  made integer;
BEGIN
  TRUNCATE coverage_walks, coverage_pieces RESTART IDENTITY;
  WITH areas AS MATERIALIZED (  -- each grid grown by 1 m (3857 units are 1/cos(lat) m)
    SELECT id AS grid_id, ST_Buffer(geom_3857, 1.0 / cos(radians(ST_Y(label))),
                                    'join=mitre mitre_limit=2') AS area
    FROM grids WHERE level = 'grid'
  ), clipped AS MATERIALIZED (
    SELECT a.grid_id, d.geom AS g, ST_Length(ST_Transform(d.geom, 4326)::geography) AS len
    FROM areas a
    JOIN roads r ON ST_Intersects(r.geom_3857, a.area)
    CROSS JOIN LATERAL ST_Dump(ST_Intersection(r.geom_3857, a.area)) d
    WHERE ST_GeometryType(d.geom) = 'ST_LineString'
  ), cut AS MATERIALIZED (
    SELECT c.grid_id,
           ST_Transform(ST_LineSubstring(c.g, i::float8 / k.n, (i + 1)::float8 / k.n), 4326)
             AS geom
    FROM clipped c
    CROSS JOIN LATERAL (SELECT greatest(1, ceil(c.len / piece_m))::int AS n) k
    CROSS JOIN LATERAL generate_series(0, k.n - 1) i
    WHERE c.len >= 2.5  -- not the stubs of crossing streets past the grown edge
  )
  INSERT INTO coverage_pieces (grid_id, geom, length_m)
  SELECT grid_id, geom, ST_Length(geom::geography) FROM cut;
  GET DIAGNOSTICS made = ROW_COUNT;

  INSERT INTO coverage_grids AS cg (grid_id, street_m)
  SELECT g.id, coalesce(sum(p.length_m), 0)
  FROM grids g LEFT JOIN coverage_pieces p ON p.grid_id = g.id
  WHERE g.level = 'grid'
  GROUP BY g.id
  ON CONFLICT (grid_id) DO UPDATE SET street_m = EXCLUDED.street_m;
  DELETE FROM coverage_grids cg
  WHERE NOT EXISTS (SELECT 1 FROM grids g WHERE g.id = cg.grid_id AND g.level = 'grid');

  DELETE FROM coverage_days WHERE replay_from IS NULL OR starts_at >= replay_from;
  UPDATE coverage_state SET floor = replay_from;
  ANALYZE coverage_pieces;
  RETURN made;
END $$;
