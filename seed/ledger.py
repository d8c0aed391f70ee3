"""The points ledger: awards for accepted reports and the occasional redemption."""

import random
from datetime import datetime, timedelta

from seed.life import Life, whole
from seed.staffing import Actor
from seed.tuning import REDEEM_CHANCE, REDEEM_NOTES

POINTS, REDEEM = 10, 50


def ledger(rng: random.Random, reports: list[dict], lives: list[Life],
           operator: Actor, now: datetime) -> list[dict]:
    """+10 per accepted report with a reporter; now and then 50 points redeemed."""
    gains: dict[int, list[tuple[datetime, int]]] = {}
    for r, life in zip(reports, lives, strict=True):
        if r["reporter_id"] is None:
            continue
        accepted = next((s["at"] for s in life.steps if s["action"] == "accept"), None)
        if accepted is not None:
            gains.setdefault(r["reporter_id"], []).append((accepted, r["id"]))
    rows: list[dict] = []
    for reporter in sorted(gains):
        balance, free_from = 0, None
        for at, rid in sorted(gains[reporter]):
            rows.append({"reporter_id": reporter, "report_id": rid, "delta": POINTS,
                         "reason": "valid_report", "note": None, "by_user_id": None,
                         "created_at": at})
            balance += POINTS
            if free_from is not None and at <= free_from:
                continue  # one redemption at a time
            if balance >= REDEEM and rng.random() < REDEEM_CHANCE:
                when = whole(at + timedelta(hours=rng.uniform(2, 240)))
                if when < now:
                    rows.append({"reporter_id": reporter, "report_id": None, "delta": -REDEEM,
                                 "reason": "redeem", "note": rng.choice(REDEEM_NOTES),
                                 "by_user_id": operator[1], "created_at": when})
                    balance -= REDEEM
                    free_from = when
    rows.sort(key=lambda e: (e["created_at"], e["reporter_id"], e["delta"]))
    return [{"id": i + 1, **e} for i, e in enumerate(rows)]
