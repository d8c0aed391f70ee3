-- Functions and triggers of the foundation schema (run after the tables exist).

-- Every outbox row is announced on commit; listeners read rows in seq order.
CREATE OR REPLACE FUNCTION gridlink_notify_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gridlink_events', NEW.seq::text);
  RETURN NULL;
END $$;

CREATE TRIGGER events_notify AFTER INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION gridlink_notify_event();

-- Daily partitions of positions for [from_day, to_day], created if missing.
CREATE OR REPLACE FUNCTION gridlink_ensure_position_partitions(from_day date, to_day date)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  d date := from_day;
  made integer := 0;
  part text;
BEGIN
  WHILE d <= to_day LOOP
    part := format('positions_%s', to_char(d, 'YYYYMMDD'));
    IF to_regclass(part) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF positions FOR VALUES FROM (%L) TO (%L)',
        part, d::timestamptz, (d + 1)::timestamptz);
      made := made + 1;
    END IF;
    d := d + 1;
  END LOOP;
  RETURN made;
END $$;

-- Fixes outside every daily partition are kept, not lost.
CREATE TABLE positions_default PARTITION OF positions DEFAULT;
