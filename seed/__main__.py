"""`python -m seed --preset demo --seed 1 [--force] [--url URL]`: load a SYNTHETIC area."""

import argparse
import os

from seed.load import run
from seed.presets import PRESETS


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and seed the database (default: $GRIDLINK_DATABASE_URL)."""
    ap = argparse.ArgumentParser(prog="python -m seed", description=__doc__)
    ap.add_argument("--preset", choices=sorted(PRESETS), default="demo")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="empty the seeded tables first")
    ap.add_argument("--url", default=os.environ.get("GRIDLINK_DATABASE_URL"),
                    help="libpq URL (default: $GRIDLINK_DATABASE_URL)")
    args = ap.parse_args(argv)
    if not args.url:
        ap.error("give --url or set GRIDLINK_DATABASE_URL")
    run(args.url, preset=args.preset, seed=args.seed, force=args.force)


if __name__ == "__main__":
    main()
