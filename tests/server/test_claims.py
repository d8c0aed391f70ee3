"""Fifty simultaneous claims of one pool task over a real server: exactly one wins."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.conftest import LiveServer
from tests.server.factories import patroller_point

CLAIMS = 50


def test_fifty_concurrent_claims_one_winner(live_server: LiveServer) -> None:
    _, lon, lat = patroller_point(live_server.db_url)
    base, op = live_server.base, {"Authorization": f"Bearer {live_server.token('operator')}"}
    rid = httpx.post(base + "/api/reports", json={"category": "environment",
                                                  "description": "并发认领", "lon": lon,
                                                  "lat": lat}).json()["id"]
    httpx.post(f"{base}/api/reports/{rid}/accept", json={}, headers=op).raise_for_status()
    httpx.post(f"{base}/api/reports/{rid}/dispatch", json={"pool": True},
               headers=op).raise_for_status()
    tokens = [live_server.token("patroller"), live_server.token("grid_head")]

    async def all_claims() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=base, timeout=30) as c:
            return await asyncio.gather(*(
                c.post(f"/api/reports/{rid}/claim",
                       headers={"Authorization": f"Bearer {tokens[i % 2]}"})
                for i in range(CLAIMS)))

    with ThreadPoolExecutor(1) as pool:
        answers = pool.submit(asyncio.run, all_claims()).result()
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] + [409] * (CLAIMS - 1), codes
    assert {r.json()["code"] for r in answers if r.status_code == 409} == {"already_claimed"}
