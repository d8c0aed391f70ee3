"""Open311 reads: discovery, services, service requests with their filters, tokens."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import InvalidInput, NotFound
from server.interop.open311.schemas import (
    CLOSED,
    DETAILED_STATUS,
    OPEN,
    Discovery,
    Endpoint,
    Lang,
    Service,
    ServiceDefinition,
    ServiceRequest,
    TokenOut,
)
from server.reports import queries as reports
from server.settings import Settings
from server.sqlfile import sql

CHANGESET = "2026-11-22T00:00:00+00:00"  # when this endpoint's behaviour last changed
MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
STATUS_GROUPS = {"open": OPEN, "closed": CLOSED}
TOKEN = re.compile(r"^[0-9a-f]{8,40}$")
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Filters:
    """What the request list is narrowed to (None: no narrowing)."""

    ids: list[int] | None = None
    codes: list[str] | None = None
    statuses: list[str] | None = None
    since: datetime | None = None
    until: datetime | None = None


def discovery(*, base_url: str, settings: Settings) -> Discovery:
    """Where the endpoint is, what it speaks and whom to ask."""
    kind = "production" if settings.env == "production" else "test"
    return Discovery(
        changeset=CHANGESET, contact=f"{settings.deployment_name} / {settings.deployment_name_en}",
        key_service="无需 API key，api_key 参数会被忽略 / No API key is needed; api_key is ignored",
        endpoints=[Endpoint(url=f"{base_url}/open311/v2", changeset=CHANGESET, type=kind)])


def notice(hours: int, lang: Lang) -> str:
    """What happens next, in the reporter's language."""
    if lang == "en":
        return f"Reviewed by the command center, then handled within {hours} h of dispatch"
    return f"指挥中心受理后派单，派单后 {hours} 小时内办结"


async def services(*, db: AsyncSession, lang: Lang, code: str | None = None) -> list[Service]:
    """Every active category as a service, grouped by its department."""
    rows = await db.execute(sql(__file__, "services.sql"), {"code": code})
    return [_service(r._mapping, lang) for r in rows]


def _service(row: RowMapping, lang: Lang) -> Service:
    en, hours = lang == "en", row["deadline_hours"]
    description = (f"{row['name']} — handled within {hours} h of dispatch" if en
                   else f"{row['name_en']} — 派单后 {hours} 小时内办结")
    return Service(service_code=row["code"], service_name=row["name_en" if en else "name"],
                   description=description, group=row["department_name_en" if en
                                                      else "department_name"],
                   keywords=",".join((row["name"], row["name_en"], row["code"])))


async def definition(*, db: AsyncSession, code: str) -> ServiceDefinition:
    """A service's extra attributes: none (metadata is false for every service)."""
    if not await services(db=db, lang="zh", code=code):
        raise NotFound(f"没有这个服务：{code}", f"No such service: {code}",
                       code="unknown_service_code")
    return ServiceDefinition(service_code=code)


def filters(*, ids: str | None, service_code: str | None, start_date: str | None,
            end_date: str | None, status: str | None, now: datetime) -> Filters:
    """The list's filters; ids win over all others, as the spec says; 90 days by default."""
    if ids:
        return Filters(ids=_ids(ids))
    since, until = _date(start_date, "start_date"), _date(end_date, "end_date")
    if since and until and since > until:
        raise InvalidInput("start_date 不能晚于 end_date", "start_date is after end_date",
                           code="bad_date_range", field="start_date")
    return Filters(codes=_split(service_code), statuses=_statuses(status),
                   since=since or (until or now) - timedelta(days=DEFAULT_DAYS), until=until)


def _split(raw: str | None) -> list[str] | None:
    parts = [p.strip() for p in (raw or "").split(",") if p.strip()]
    return parts or None


def _ids(raw: str) -> list[int]:
    parts = _split(raw) or []
    if len(parts) > MAX_REQUESTS or not all(p.isdigit() and int(p) <= MAX_ID for p in parts):
        raise InvalidInput(f"service_request_id 应为逗号分隔的编号（最多 {MAX_REQUESTS} 个）",
                           "service_request_id must be comma-separated numbers "
                           f"(at most {MAX_REQUESTS})", code="bad_request_id",
                           field="service_request_id")
    return [int(p) for p in parts]


def _statuses(raw: str | None) -> list[str] | None:
    wanted = _split(raw)
    if wanted is None:
        return None
    if unknown := [s for s in wanted if s not in STATUS_GROUPS]:
        raise InvalidInput(f"status 只能是 open 或 closed，收到：{', '.join(unknown)}",
                           f"status must be open or closed, got: {', '.join(unknown)}",
                           code="bad_status", field="status")
    return [s for group in wanted for s in STATUS_GROUPS[group]]


def _date(raw: str | None, field: str) -> datetime | None:
    """A W3C / ISO 8601 datetime; without an offset it is UTC."""
    if not raw or not raw.strip():
        return None
    text = raw.strip()
    if "T" in text and " " in text:  # an unencoded '+' in the offset arrives as a space
        text = text.replace(" ", "+")
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} 应为 ISO 8601 时间，例如 2024-05-01T08:00:00+08:00",
                           f"{field} must be an ISO 8601 datetime, "
                           "e.g. 2024-05-01T08:00:00+08:00", code="bad_date", field=field) from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


async def requests(*, db: AsyncSession, where: Filters, base_url: str,
                   lang: Lang) -> list[ServiceRequest]:
    """Reports matching the filters as service requests, newest first, at most 1000."""
    rows = await db.execute(sql(__file__, "requests.sql"), {
        "ids": where.ids, "codes": where.codes, "statuses": where.statuses,
        "since": where.since, "until": where.until, "limit": MAX_REQUESTS,
        "public_actions": list(reports.PUBLIC_ACTIONS)})
    return [_request(r._mapping, base_url, lang) for r in rows]


async def request(*, db: AsyncSession, request_id: str, base_url: str,
                  lang: Lang) -> list[ServiceRequest]:
    """One service request (in a list, as the spec answers); 404 when unknown."""
    found = []
    if request_id.isdigit() and int(request_id) <= MAX_ID:
        found = await requests(db=db, where=Filters(ids=[int(request_id)]), base_url=base_url,
                               lang=lang)
    if not found:
        raise NotFound(f"找不到服务请求 {request_id}", f"Service request {request_id} not found",
                       code="report_not_found")
    return found


# Categories about people (help for the elderly, hardship, disputes) are personal data: the
# public view shows that a request exists and its progress, not what it says, its photo or
# the doorstep it came from (coordinates rounded to about 100 m).
SENSITIVE = frozenset({"elderly_help", "hardship", "dispute"})
COARSE_DIGITS = 3


def _request(row: RowMapping, base_url: str, lang: Lang) -> ServiceRequest:
    en, status = lang == "en", row["status"]
    private = row["category_code"] in SENSITIVE
    digits = COARSE_DIGITS if private else 6
    notes = row["reject_reason"] if status == "rejected" and row["reject_reason"] \
        else row["last_note"]
    return ServiceRequest(
        service_request_id=str(row["id"]), status="open" if status in OPEN else "closed",
        status_notes=notes, service_name=row["name_en" if en else "name"],
        service_code=row["category_code"],
        description=row["name_en" if en else "name"] if private else row["description"],
        agency_responsible=row["department_name_en" if en else "department_name"],
        service_notice=notice(row["deadline_hours"], lang),
        requested_datetime=w3c(row["created_at"]) or "", updated_datetime=w3c(row["updated_at"]),
        expected_datetime=w3c(row["deadline_at"]), address=None if private else row["address"],
        lat=round(row["lat"], digits), long=round(row["lon"], digits),
        media_url=f"{base_url}/media/{row['photo']}.jpg" if row["photo"] and not private
        else None,
        detailed_status=DETAILED_STATUS[status])


def w3c(value: datetime | None) -> str | None:
    """A datetime in the spec's W3C format, UTC with its offset (None stays None).

    >>> w3c(datetime(2024, 5, 1, 8, 30, 15, 123, tzinfo=UTC))
    '2024-05-01T08:30:15+00:00'
    """
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


async def by_token(*, db: AsyncSession, token: str) -> list[TokenOut]:
    """The service request behind a tracking token (404 otherwise)."""
    if not TOKEN.match(token):
        raise NotFound("找不到该事件", "Report not found", code="report_not_found")
    report_id = await reports.report_id_for_token(db=db, token=token)
    return [TokenOut(service_request_id=str(report_id), token=token)]
