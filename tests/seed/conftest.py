"""Generated data shared by the seed tests (generation is pure, so it is cached)."""

import pytest

from seed.generate import SeedData, generate
from tests.seed.fixed import NOW


@pytest.fixture(scope="session")
def tiny() -> SeedData:
    """The tiny preset, seed 1, at a fixed now."""
    return generate(preset="tiny", seed=1, now=NOW)


@pytest.fixture(scope="session")
def demo() -> SeedData:
    """The demo preset, seed 1, at a fixed now (about two seconds to make)."""
    return generate(preset="demo", seed=1, now=NOW)


@pytest.fixture(params=["tiny", "demo"])
def data(request: pytest.FixtureRequest) -> SeedData:
    """Each of the pure presets in turn."""
    return request.getfixturevalue(request.param)
