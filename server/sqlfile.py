"""Named .sql files beside a domain's service."""

from functools import cache
from pathlib import Path

from sqlalchemy import TextClause, text


@cache
def sql(module_file: str, name: str) -> TextClause:
    """The statement in `name`, next to `module_file` (read once)."""
    return text((Path(module_file).parent / name).read_text())
