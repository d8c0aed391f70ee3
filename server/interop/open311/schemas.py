"""Open311 GeoReport v2 shapes, and how our report states read in Open311.

Our nine states map onto Open311's two (`status`) and onto the common `detailed_status`
extension (as in the Open311 "Inquiry/status" extensions many cities use):

===========  ======  ===============  ==========================================
ours         status  detailed_status  meaning
===========  ======  ===============  ==========================================
submitted    open    NEW              received, not yet reviewed
accepted     open    ACCEPTED         valid (受理), waiting for dispatch
dispatched   open    ASSIGNED         sent to a worker, a department or a pool
claimed      open    IN_PROGRESS      a worker claimed it (认领) and is on it
resolved     open    RESOLVED         done, awaiting the reporter's revisit
verified     closed  CLOSED           the reporter (or a phone revisit) confirmed
archived     closed  ARCHIVED         verified and filed (归档)
rejected     closed  REJECTED         invalid; the reason is in status_notes
merged       closed  DUPLICATE        a duplicate, followed on its original
===========  ======  ===============  ==========================================

`resolved` stays open on purpose: a dissatisfied revisit reopens the work.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from server.reports.schemas import CoordSys

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ["application/json", "text/xml"]
DETAILED_STATUS = {
    "submitted": "NEW", "accepted": "ACCEPTED", "dispatched": "ASSIGNED",
    "claimed": "IN_PROGRESS", "resolved": "RESOLVED", "verified": "CLOSED",
    "archived": "ARCHIVED", "rejected": "REJECTED", "merged": "DUPLICATE",
}
OPEN = ("submitted", "accepted", "dispatched", "claimed", "resolved")
CLOSED = ("verified", "archived", "rejected", "merged")
Fmt = Literal["json", "xml"]
Lang = Literal["zh", "en"]
Source = Literal["resident", "hotline"]


class Endpoint(BaseModel):
    specification: str = SPECIFICATION
    url: str
    changeset: str
    type: Literal["production", "test"]
    formats: list[str] = FORMATS


class Discovery(BaseModel):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[Endpoint]


class Service(BaseModel):
    """One category as an Open311 service."""

    service_code: str
    service_name: str
    description: str
    metadata: bool = False
    type: Literal["realtime", "batch", "blackbox"] = "realtime"
    keywords: str
    group: str | None


class ServiceDefinition(BaseModel):
    service_code: str
    attributes: list[dict] = []


class RequestIn(BaseModel):
    """A service request as an Open311 client posts it (form fields or a JSON object)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, allow_inf_nan=False)

    service_code: str = Field(min_length=1, max_length=32)
    lat: float | None = None
    long: float | None = None
    address_string: str | None = Field(None, max_length=200)
    address_id: str | None = Field(None, max_length=100, description="accepted, not used")
    description: str | None = Field(None, max_length=2000)
    email: str | None = Field(None, max_length=254, description="accepted, not stored")
    device_id: str | None = Field(None, max_length=100, description="accepted, not stored")
    account_id: str | None = Field(None, max_length=100, description="accepted, not stored")
    first_name: str | None = Field(None, max_length=40)
    last_name: str | None = Field(None, max_length=40)
    phone: str | None = Field(None, max_length=20, pattern=r"^[0-9+\- ]{5,20}$")
    media_url: str | None = Field(None, max_length=500,
                                  description="kept as a link in the description, never fetched")
    coord_sys: CoordSys = Field("wgs84", description="extension: wgs84 | gcj02 | bd09")
    source: Source = Field("resident", description="extension attribute[source]=hotline")


class Posted(BaseModel):
    """The answer to a new service request."""

    service_request_id: str
    token: str
    service_notice: str
    account_id: None = None


class PostedList(RootModel[list[Posted]]):
    pass


class ServiceRequest(BaseModel):
    """One report as an Open311 service request (plus `detailed_status`)."""

    service_request_id: str
    status: Literal["open", "closed"]
    status_notes: str | None
    service_name: str
    service_code: str
    description: str
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str | None
    expected_datetime: str | None
    address: str | None
    address_id: None = None
    zipcode: None = None
    lat: float
    long: float
    media_url: str | None
    detailed_status: str


class TokenOut(BaseModel):
    service_request_id: str
    token: str
