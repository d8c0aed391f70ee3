"""The report state machine: exactly the legal transitions, nothing else."""

from server.errors import Conflict

# action → {from status: to status}
TRANSITIONS: dict[str, dict[str, str]] = {
    "accept": {"submitted": "accepted"},
    "reject": {"submitted": "rejected", "accepted": "rejected"},
    "merge": {"submitted": "merged", "accepted": "merged"},
    "dispatch": {"accepted": "dispatched", "dispatched": "dispatched", "claimed": "dispatched"},
    "claim": {"dispatched": "claimed"},
    "resolve": {"claimed": "resolved"},
    "verify": {"resolved": "verified"},
    "reopen": {"resolved": "dispatched"},
    "archive": {"verified": "archived"},
}
# Steps that record something without changing the status.
NOTES = ("create", "warn", "escalate", "note")
STATUS_ZH = {"submitted": "已提交", "accepted": "已受理", "rejected": "已驳回", "merged": "已合并",
             "dispatched": "已派单", "claimed": "已认领", "resolved": "已办结",
             "verified": "已回访", "archived": "已归档"}
ACTION_ZH = {"accept": "受理", "reject": "驳回", "merge": "合并", "dispatch": "派单",
             "claim": "认领", "resolve": "办结", "verify": "回访确认", "reopen": "重新办理",
             "archive": "归档"}
CLOSED = ("rejected", "merged", "archived")


class IllegalTransition(Conflict):
    code = "illegal_transition"


def next_status(action: str, current: str) -> str:
    """The status after `action` from `current`, or a 409 naming both.

    >>> next_status("claim", "dispatched")
    'claimed'
    """
    target = TRANSITIONS.get(action, {}).get(current)
    if target is None:
        raise IllegalTransition(
            f"当前状态“{STATUS_ZH.get(current, current)}”下不能{ACTION_ZH.get(action, action)}",
            f"A report that is {current} cannot be {action}ed"
            if not action.endswith("e") else f"A report that is {current} cannot be {action}d")
    return target


def allowed(current: str) -> list[str]:
    """The actions legal from a status (for the console's buttons)."""
    return [a for a, moves in TRANSITIONS.items() if current in moves]
