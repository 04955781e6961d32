"""Regenerates the single initial migration from the models (no release has shipped yet).

Run with `make migration`. Once a release ships, add new revisions instead.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from alembic import command

from storage.migrate import alembic_config

VERSIONS = Path(__file__).parent / "migrations" / "versions"


def main() -> None:
    for old in VERSIONS.glob("0001_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/empty.db"
        config = alembic_config(url)
        command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
    for path in VERSIONS.glob("0001_*.py"):
        path.rename(VERSIONS / "0001_initial_schema.py")
    asyncio.run(asyncio.sleep(0))


if __name__ == "__main__":
    main()
