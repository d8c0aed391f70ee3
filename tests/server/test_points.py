"""Points: 10 per valid report (once), 50 redeemable, never below zero."""

from fastapi.testclient import TestClient

from tests.conftest import login
from tests.server.factories import patroller_point

PHONE = "13700002222"


def test_valid_reports_earn_points_that_can_be_redeemed(client: TestClient,
                                                        seeded_url: str) -> None:
    _, lon, lat = patroller_point(seeded_url)
    h = login(client, "operator")
    tokens = []
    for i in range(5):
        r = client.post("/api/reports", json={"category": "greening", "description": f"树枝{i}",
                                              "lon": lon + i * 0.001, "lat": lat,
                                              "reporter_phone": PHONE})
        tokens.append(r.json()["tracking_token"])
        client.post(f"/api/reports/{r.json()['id']}/accept", json={}, headers=h)
    assert client.get(f"/api/track/{tokens[0]}").json()["points"] == 50
    short = client.post("/api/points/redeem", json={"phone": PHONE, "units": 2}, headers=h)
    assert short.status_code == 409 and short.json()["code"] == "points_insufficient"
    ok = client.post("/api/points/redeem", json={"phone": PHONE, "units": 1}, headers=h)
    assert ok.json() == {"phone": PHONE, "balance": 0}
    assert client.post("/api/points/redeem", json={"phone": PHONE},
                       headers=h).status_code == 409
    assert client.post("/api/points/redeem", json={"phone": "13000000000"},
                       headers=h).status_code == 404
    assert client.post("/api/points/redeem", json={"phone": PHONE},
                       headers=login(client, "patroller")).status_code == 403
