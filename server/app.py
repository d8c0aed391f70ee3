"""The FastAPI application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from geo.bbox import BBox
from server import errors, models  # noqa: F401 - registers every table for ORM foreign keys
from server.alerts.routes import router as alerts_router
from server.auth.routes import router as auth_router
from server.auth.service import LoginLimiter
from server.cluster import database_url
from server.coverage.routes import router as coverage_router
from server.db import make_engine, make_sessionmaker, plain_url
from server.dispatch import deadlines
from server.dispatch.routes import router as dispatch_router
from server.figures.routes import router as figures_router
from server.grids import service as grids_service
from server.grids.routes import router as grids_router
from server.households.routes import router as households_router
from server.interop.ogc.routes import router as ogc_router
from server.interop.ogc.write_routes import router as ogc_write_router
from server.interop.open311.routes import router as open311_router
from server.limits import BodyLimit
from server.live.hub import Hub
from server.live.routes import router as live_router
from server.meta.routes import router as meta_router
from server.patrol.routes import osmand_router
from server.patrol.routes import router as patrol_router
from server.patrol.track_routes import router as track_router
from server.photos.routes import router as photos_router
from server.planning.history_routes import router as grid_history_router
from server.planning.routes import router as planning_router
from server.planning.routes import workload_router
from server.points.routes import router as points_router
from server.reports.center_routes import router as center_router
from server.reports.routes import router as reports_router
from server.settings import Settings, get_settings
from server.stations.routes import router as stations_router
from server.ticker import Ticker
from server.tiles.routes import router as tiles_router
from server.visits.routes import router as visits_router
from server.workers.routes import router as workers_router

# grid_history_router before grids_router: /api/grids/asof is not a grid id; the OGC writes
# before the OGC reads, whose last route answers every other GET under /ogc/ with a 404.
ROUTERS = (meta_router, auth_router, grid_history_router, grids_router, stations_router,
           households_router, center_router, reports_router, dispatch_router, points_router,
           photos_router, figures_router, alerts_router, coverage_router, visits_router,
           planning_router, workload_router,
           workers_router, track_router, patrol_router, osmand_router, tiles_router,
           live_router, open311_router, ogc_write_router, ogc_router)
# Used before anything is seeded: roughly mainland China, so input checks still make sense.
CHINA = BBox(73.0, 18.0, 135.0, 54.0)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the pool, load the service area, start the hub and the ticker."""
    settings: Settings = app.state.settings
    url = database_url(settings)
    engine = make_engine(url)
    app.state.sessionmaker = make_sessionmaker(engine)
    async with app.state.sessionmaker() as db:
        area = await grids_service.service_area(db=db)
    app.state.service_area = BBox(*area).expand(0.01) if area else CHINA
    app.state.hub = Hub(plain_url(url), coalesce_s=settings.position_coalesce_ms / 1000)
    await app.state.hub.start()
    ticker = Ticker(plain_url(url), retention_hours=settings.event_retention_hours,
                    position_retention_days=settings.position_retention_days,
                    jobs=[partial(_due_reports, app), partial(_purge_photos, app),
                          partial(_alerts, app), partial(_coverage, app)])
    if settings.ticker:
        ticker.start()
    try:
        yield
    finally:
        await ticker.stop()
        await app.state.hub.stop()
        await engine.dispose()


async def _purge_photos(app: FastAPI) -> None:
    """Uploads never attached to a report are dropped after a day."""
    from datetime import timedelta

    from server.photos.service import purge_unattached

    async with app.state.sessionmaker() as db:
        await purge_unattached(db=db, older_than=timedelta(days=1))


async def _alerts(app: FastAPI) -> None:
    """Raise and close outside-grid and offline alerts."""
    from datetime import UTC, datetime

    from server.alerts import service as alerts

    async with app.state.sessionmaker() as db:
        await alerts.scan(db=db, now=datetime.now(UTC))


async def _coverage(app: FastAPI) -> None:
    """Count the patrol coverage of the fixes received since the last tick."""
    from datetime import UTC, datetime

    from server.coverage import service as coverage

    async with app.state.sessionmaker() as db:
        now = datetime.now(UTC)
        await coverage.advance(db=db, now=now)
        await coverage.prune(db=db, now=now)


async def _due_reports(app: FastAPI) -> None:
    """Warn, escalate and auto-dispatch the reports whose time has come."""
    from datetime import UTC, datetime

    async with app.state.sessionmaker() as db:
        await deadlines.process_due(db=db, now=datetime.now(UTC))


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: routers, error mapping, static console."""
    settings = settings or get_settings()
    app = FastAPI(title="gridlink", version="0.1.0", lifespan=lifespan,
                  description="网格化联动指挥中心 — grid governance operations console")
    app.state.settings = settings
    app.state.login_limiter = LoginLimiter()
    errors.install(app)
    app.add_middleware(BodyLimit)
    for router in ROUTERS:
        app.include_router(router)
    if settings.web_dir.is_dir():
        app.mount("/", StaticFiles(directory=settings.web_dir, html=True), name="web")
    return app
