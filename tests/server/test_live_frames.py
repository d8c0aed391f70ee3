"""The hub's positions fan-out, in process: frames are split for a whole county moving,
and each subscriber gets only what its scope sees."""

from datetime import UTC, datetime

from server.live.hub import FRAME_WORKERS, Hub, Subscriber


def rows(n: int) -> list[dict]:
    t = datetime(2026, 11, 22, tzinfo=UTC)
    return [{"worker_id": i, "lon": 104.0, "lat": 30.6, "grid_id": i % 7, "status": "online",
             "on_duty": True, "heading": None, "speed": None, "fix_time": t,
             "grid_ids": [i % 7]} for i in range(n)]


def drain(sub: Subscriber) -> list[dict]:
    out = []
    while not sub.queue.empty():
        out.append(sub.queue.get_nowait())
    return out


def test_a_county_moving_goes_out_in_bounded_frames() -> None:
    hub = Hub("postgresql://unused")
    everyone, grid_3 = Subscriber(None), Subscriber(frozenset({3}))
    hub.subs |= {everyone, grid_3}
    n = 2 * FRAME_WORKERS + 17
    hub._send_positions(rows(n))
    frames = drain(everyone)
    assert [len(f["workers"]) for f in frames] == [FRAME_WORKERS, FRAME_WORKERS, 17]
    assert sorted(w["id"] for f in frames for w in f["workers"]) == list(range(n))
    mine = [w for f in drain(grid_3) for w in f["workers"]]
    assert mine and all(w["grid_id"] == 3 for w in mine)
