"""Every command finds its database with --db, and refuses, in one line naming the fix and
with exit 2, a database that is missing, in a wrong folder, unmigrated or newer than this
release, without creating one (only `db upgrade` and `demo` create a database)."""

from __future__ import annotations

import sqlite3

import pytest
import typer
from typer.testing import Result

from bot.root import cli as app
from tests.upgrade_helpers import jobbtorg


def refused(result: Result, *names: str) -> str:
    """The one line a refused command printed; it names each fix in `names`."""
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    line = result.stderr.strip()
    assert line and "\n" not in line, result.stderr
    assert "Traceback" not in line
    for name in names:
        assert name in line, line
    return line


def test_every_command_takes_db():
    def leaves(command, path=()):
        subcommands = getattr(command, "commands", None)
        if not subcommands:
            yield " ".join(path), command
            return
        for name, sub in subcommands.items():
            yield from leaves(sub, (*path, name))

    found = dict(leaves(typer.main.get_command(app)))
    assert {"bookings list", "db upgrade", "demo", "serve", "staff add"} <= set(found)
    without = [name for name, command in found.items()
               if "--db" not in {opt for p in command.params for opt in p.opts}]
    assert without == []


def test_a_command_in_a_folder_without_a_database_says_so_and_creates_none(tmp_path):
    line = refused(jobbtorg("bookings", "list", cwd=tmp_path), "jobbtorg db upgrade", "--db")
    assert str(tmp_path / "jobbtorg.db") in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["nowhere/jobbtorg.db", "missing.db", "."])
def test_a_wrong_db_path_is_refused_and_nothing_is_created(tmp_path, where):
    refused(jobbtorg("units", "list", "--db", str(tmp_path / where), cwd=tmp_path), "--db")
    assert list(tmp_path.iterdir()) == []


def test_an_unmigrated_database_is_refused_until_db_upgrade(tmp_path):
    path = tmp_path / "jobbtorg.db"
    sqlite3.connect(path).close()  # an empty SQLite file, as a stray connect leaves
    refused(jobbtorg("handoffs", "list", "--db", str(path), cwd=tmp_path), "jobbtorg db upgrade")
    upgraded = jobbtorg("db", "upgrade", "--db", str(path), cwd=tmp_path)
    assert upgraded.exit_code == 0, upgraded.stderr
    listed = jobbtorg("handoffs", "list", "--json", "--db", str(path), cwd=tmp_path)
    assert listed.exit_code == 0 and listed.stdout.strip() == "[]", listed.stderr


def test_db_upgrade_creates_the_database_but_not_its_folder(tmp_path):
    refused(jobbtorg("db", "upgrade", "--db", str(tmp_path / "no" / "x.db"), cwd=tmp_path),
            "--db")
    assert list(tmp_path.iterdir()) == []
    made = jobbtorg("db", "upgrade", cwd=tmp_path)
    assert made.exit_code == 0, made.stderr
    assert (tmp_path / "jobbtorg.db").is_file()
    again = jobbtorg("db", "upgrade", cwd=tmp_path)
    assert again.exit_code == 0 and "up to date" in again.stderr


def test_a_database_from_a_newer_release_is_refused_by_every_command(tmp_path):
    path = tmp_path / "jobbtorg.db"
    assert jobbtorg("db", "upgrade", cwd=tmp_path).exit_code == 0
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    secret = {"JOBBTORG_SECRET_KEY": "x" * 32}
    for command in (["units", "list"], ["db", "upgrade"], ["serve", "--port", "0"]):
        line = refused(jobbtorg(*command, cwd=tmp_path, env=secret), "newer release")
        assert "9999" in line


def test_demo_refuses_a_database_it_cannot_make_or_upgrade(tmp_path):
    refused(jobbtorg("demo", "--port", "0", "--db", str(tmp_path / "no" / "x.db"), cwd=tmp_path),
            "--db")
    assert jobbtorg("db", "upgrade", cwd=tmp_path).exit_code == 0
    with sqlite3.connect(tmp_path / "jobbtorg.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    refused(jobbtorg("demo", "--port", "0", cwd=tmp_path), "newer release")
