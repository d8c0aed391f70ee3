"""Import every domain's tables so the metadata is complete (for Alembic and tests)."""

from server.alerts.models import Alert
from server.auth.models import User
from server.basemap.models import Block, Building, Road
from server.coverage.models import (
    CoverageDay,
    CoverageGrid,
    CoveragePiece,
    CoverageState,
    CoverageWalk,
)
from server.db import Base
from server.grids.models import Grid
from server.households.models import Household
from server.idempotency.models import IdempotencyKey
from server.live.models import Event
from server.patrol.models import Position
from server.photos.models import Photo
from server.planning.models import GridVersion, Plan, PlanGrid
from server.points.models import PointsEntry
from server.reports.models import Category, Report, Reporter, ReportStep
from server.stations.models import Station, StationDuty
from server.visits.models import HouseholdVisit
from server.workers.models import Department, Worker, WorkerGrid, WorkerState

__all__ = ["Alert", "Base", "Block", "Building", "Category", "CoverageDay", "CoverageGrid",
           "CoveragePiece", "CoverageState", "CoverageWalk", "Department", "Event", "Grid",
           "GridVersion", "Household", "HouseholdVisit", "IdempotencyKey", "Photo", "Plan",
           "PlanGrid", "PointsEntry", "Position", "Report", "ReportStep", "Reporter", "Road",
           "Station", "StationDuty", "User", "Worker", "WorkerGrid", "WorkerState"]
