-- One worker's fixes in a UTC range (the local day), oldest first; the range prunes the
-- daily partitions. One row beyond :cap tells the caller the day was cut short.
SELECT fix_time, ST_X(geom) AS lon, ST_Y(geom) AS lat, speed, accuracy, grid_id, flags
FROM positions
WHERE worker_id = :worker_id AND fix_time >= :start AND fix_time < :end
ORDER BY fix_time
LIMIT :cap + 1
