-- Every version of every grid, kept by triggers on grids, whoever writes (seed COPY, the
-- planner's publish, a plain UPDATE).
--
-- An insert opens version 1 (or whatever version the row carries). An update that changes
-- what a grid is (shape, code, names, level, kind, parent) bumps grids.version, closes the
-- open version at the effective time and opens the next. Retiring a grid (retired_at set)
-- closes its open version at retired_at and opens none. The effective time is the setting
-- gridlink.effective_at when a transaction sets it (SET LOCAL / set_config(..., true)),
-- else now(); gridlink.plan_id, when set, names the plan that made the version.

CREATE OR REPLACE FUNCTION gridlink_effective_at() RETURNS timestamptz
LANGUAGE sql STABLE AS $$
  SELECT coalesce(CAST(nullif(current_setting('gridlink.effective_at', true), '')
                       AS timestamptz), now())
$$;

CREATE OR REPLACE FUNCTION gridlink_grids_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF nullif(current_setting('gridlink.effective_at', true), '') IS NOT NULL THEN
      NEW.valid_from := gridlink_effective_at();
    END IF;
    RETURN NEW;
  END IF;
  IF ST_AsEWKB(NEW.geom) IS DISTINCT FROM ST_AsEWKB(OLD.geom)
     OR (NEW.code, NEW.name, NEW.name_en, NEW.level, NEW.kind, NEW.dedicated_type,
         NEW.parent_id)
        IS DISTINCT FROM (OLD.code, OLD.name, OLD.name_en, OLD.level, OLD.kind,
                          OLD.dedicated_type, OLD.parent_id)
     OR (OLD.retired_at IS NOT NULL AND NEW.retired_at IS NULL) THEN
    NEW.version := OLD.version + 1;
    NEW.valid_from := gridlink_effective_at();
  ELSE  -- nothing that history keeps changed: the version stays what it was
    NEW.version := OLD.version;
    NEW.valid_from := OLD.valid_from;
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION gridlink_grids_history() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  plan integer := CAST(nullif(current_setting('gridlink.plan_id', true), '') AS integer);
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.version = OLD.version THEN
      IF OLD.retired_at IS NULL AND NEW.retired_at IS NOT NULL THEN
        UPDATE grid_versions SET valid_to = NEW.retired_at
        WHERE grid_id = NEW.id AND valid_to IS NULL;
      END IF;
      RETURN NULL;
    END IF;
    UPDATE grid_versions SET valid_to = NEW.valid_from
    WHERE grid_id = NEW.id AND valid_to IS NULL;
  END IF;
  INSERT INTO grid_versions (grid_id, version, valid_from, valid_to, code, name, name_en,
                             level, kind, dedicated_type, parent_id, geom, plan_id)
  VALUES (NEW.id, NEW.version, NEW.valid_from, NEW.retired_at, NEW.code, NEW.name,
          NEW.name_en, NEW.level, NEW.kind, NEW.dedicated_type, NEW.parent_id, NEW.geom, plan);
  RETURN NULL;
END $$;

CREATE TRIGGER gridlink_grids_version BEFORE INSERT OR UPDATE ON grids
  FOR EACH ROW EXECUTE FUNCTION gridlink_grids_version();
CREATE TRIGGER gridlink_grids_history AFTER INSERT OR UPDATE ON grids
  FOR EACH ROW EXECUTE FUNCTION gridlink_grids_history();

-- 0005's rebuild of every grid's street pieces, now for living grids only.
CREATE OR REPLACE FUNCTION gridlink_coverage_pieces(replay_from timestamptz,
                                                    piece_m float8 DEFAULT 25)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  made integer;
BEGIN
  TRUNCATE coverage_walks, coverage_pieces RESTART IDENTITY;
  made := gridlink_coverage_cut(NULL, piece_m);

  INSERT INTO coverage_grids AS cg (grid_id, street_m)
  SELECT g.id, coalesce(sum(p.length_m), 0)
  FROM grids g LEFT JOIN coverage_pieces p ON p.grid_id = g.id
  WHERE g.level = 'grid' AND g.retired_at IS NULL
  GROUP BY g.id
  ON CONFLICT (grid_id) DO UPDATE SET street_m = EXCLUDED.street_m;
  DELETE FROM coverage_grids cg
  WHERE NOT EXISTS (SELECT 1 FROM grids g WHERE g.id = cg.grid_id AND g.level = 'grid'
                                             AND g.retired_at IS NULL);

  DELETE FROM coverage_days WHERE replay_from IS NULL OR starts_at >= replay_from;
  UPDATE coverage_state SET floor = replay_from;
  ANALYZE coverage_pieces;
  RETURN made;
END $$;

-- Cut the streets of living grids (all, or those in `wanted`) into pieces of at most
-- `piece_m` metres; see 0005_coverage.sql for why each grid is grown by 1 m.
CREATE OR REPLACE FUNCTION gridlink_coverage_cut(wanted int[], piece_m float8 DEFAULT 25)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  made integer;
BEGIN
  WITH areas AS MATERIALIZED (
    SELECT id AS grid_id, ST_Buffer(geom_3857, 1.0 / cos(radians(ST_Y(label))),
                                    'join=mitre mitre_limit=2') AS area
    FROM grids
    WHERE level = 'grid' AND retired_at IS NULL AND (wanted IS NULL OR id = ANY(wanted))
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
    WHERE c.len >= 2.5
  )
  INSERT INTO coverage_pieces (grid_id, geom, length_m)
  SELECT grid_id, geom, ST_Length(geom::geography) FROM cut;
  GET DIAGNOSTICS made = ROW_COUNT;
  RETURN made;
END $$;

-- Rebuild the pieces of some grids only (a published plan's changed, new and retired
-- grids): their walks go with their pieces; the per-window totals already counted stay.
CREATE OR REPLACE FUNCTION gridlink_coverage_pieces_for(wanted int[], piece_m float8 DEFAULT 25)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  made integer;
BEGIN
  DELETE FROM coverage_walks w USING coverage_pieces p
  WHERE w.piece_id = p.id AND p.grid_id = ANY(wanted);
  -- The totals of windows still open start again on the new pieces, or a walk after the
  -- redraw would add the same streets a second time; closed windows keep their figures.
  DELETE FROM coverage_days WHERE grid_id = ANY(wanted) AND ends_at > now();
  DELETE FROM coverage_pieces WHERE grid_id = ANY(wanted);
  made := gridlink_coverage_cut(wanted, piece_m);
  INSERT INTO coverage_grids AS cg (grid_id, street_m)
  SELECT g.id, coalesce(sum(p.length_m), 0)
  FROM grids g LEFT JOIN coverage_pieces p ON p.grid_id = g.id
  WHERE g.id = ANY(wanted) AND g.level = 'grid' AND g.retired_at IS NULL
  GROUP BY g.id
  ON CONFLICT (grid_id) DO UPDATE SET street_m = EXCLUDED.street_m;
  DELETE FROM coverage_grids cg USING grids g
  WHERE g.id = cg.grid_id AND g.id = ANY(wanted) AND g.retired_at IS NOT NULL;
  RETURN made;
END $$;
