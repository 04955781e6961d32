"""Writes a new Alembic revision on the head: `make revision m="add visit notes"`.

It migrates a scratch SQLite database to head, then runs `alembic revision
--autogenerate` against it with the next number as the id (0002, 0003, ...), so the new
file holds exactly what the models have that the migrations do not. Read it before you
commit: autogenerate misses renames and server defaults, and SQLite sees few type changes.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from storage.migrate import alembic_config, upgrade

_NUMBERED = re.compile(r"^\d{4}$")


def next_revision_id(script: ScriptDirectory) -> str:
    """One more than the highest numbered revision: ids are NNNN, in order."""
    numbers = [int(rev.revision) for rev in script.walk_revisions()
               if _NUMBERED.match(rev.revision)]
    return f"{max(numbers, default=0) + 1:04d}"


def new_revision(message: str) -> Path:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/head.db"
        asyncio.run(upgrade(url))
        config = alembic_config(url)
        script = ScriptDirectory.from_config(config)
        if len(script.get_heads()) != 1:
            raise SystemExit(f"the migrations have several heads {script.get_heads()}; "
                             "point each new revision's down_revision at the one before")
        made = command.revision(config, message=message, autogenerate=True,
                                rev_id=next_revision_id(script))
    if made is None or isinstance(made, list):
        raise SystemExit("alembic wrote no single revision")
    return Path(made.path)


def main() -> None:
    message = " ".join(sys.argv[1:]).strip()
    if not message:
        raise SystemExit('say what the revision does: make revision m="add visit notes"')
    path = new_revision(message)
    print(f"Wrote {path}. Read it, then run the migration tests.")


if __name__ == "__main__":
    main()
