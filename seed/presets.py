"""Size presets: tiny (tests), demo (one street, as in the field), county (benchmarks)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    """How big and how dense the synthetic area is."""

    name: str
    counties: bool  # True: county → streets → communities → grids
    radius_m: float  # mean radius of the top-level polygon
    grids: int  # comprehensive grids in total
    households: int
    dedicated: int
    stations: int
    report_days: int
    reports_per_day: tuple[int, int]
    arterials: tuple[int, int] = (2, 2)  # street presets: lines per family
    communities: tuple[int, int] = (1, 10**6)  # accepted range (else the area is redrawn)
    streets: int = 1  # county preset: number of streets
    grids_per_community: int = 30  # county preset
    volunteers_per_community: int = 2
    staff_per_department: int = 1
    heads_share_grids: int = 1  # county: one grid head per this many grids
    rota_stations: int = 10**6  # stations that get a duty rota
    # Whether the history ends with dispatched work on the deadline clock (due_at set).
    # tiny: no — the server tests drive the deadline ticker with their own clock and count
    # exactly the reports they made, so tiny's open reports stop at 'accepted'.
    open_work: bool = True


PRESETS: dict[str, Preset] = {
    "tiny": Preset(
        name="tiny", counties=False, radius_m=650.0, grids=12, households=400,
        dedicated=2, stations=3, report_days=30, reports_per_day=(3, 4),
        arterials=(1, 0), communities=(2, 2), volunteers_per_community=1, open_work=False,
    ),
    "demo": Preset(
        name="demo", counties=False, radius_m=2250.0, grids=274, households=60_000,
        dedicated=20, stations=45, report_days=90, reports_per_day=(25, 40),
        arterials=(2, 2), communities=(8, 10), volunteers_per_community=2,
    ),
    "county": Preset(
        name="county", counties=True, radius_m=15_000.0, grids=12_400, households=250_000,
        dedicated=1_400, stations=300, report_days=90, reports_per_day=(250, 400),
        streets=20, grids_per_community=40, volunteers_per_community=1,
        staff_per_department=3, heads_share_grids=8, rota_stations=40,
    ),
}
