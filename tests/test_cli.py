"""The `jobbtorg` command line, run as a real process against a real database."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli_process import run_jobbtorg

# Storage matters here: these run on PostgreSQL as well as SQLite.
pytestmark = pytest.mark.storage



def jobbtorg(database_url: str, *args: str, stdin: str = "",
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`jobbtorg ARGS` as a process of its own (tests/cli_process.py) on the database."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JOBBTORG_")}
    environment.update({"JOBBTORG_DATABASE_URL": database_url, **(env or {})})
    return run_jobbtorg(list(args), environment, stdin=stdin)


@pytest.fixture
def fresh_sqlite(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"


def test_db_upgrade_seed_and_staff_add_from_an_empty_database(fresh_sqlite):
    assert jobbtorg(fresh_sqlite, "db", "upgrade").returncode == 0
    seeded = jobbtorg(fresh_sqlite, "seed", "stockholm")
    assert seeded.returncode == 0 and "5 new units and 13 new districts" in seeded.stderr
    again = jobbtorg(fresh_sqlite, "seed", "stockholm")
    assert "0 new units and 0 new districts" in again.stderr
    added = jobbtorg(fresh_sqlite, "staff", "add", "--username", "kim", "--role", "coach",
                     "--unit", "jarva", stdin="a long secret\n")
    assert added.returncode == 0, added.stderr
    twice = jobbtorg(fresh_sqlite, "staff", "add", "--username", "kim", "--role", "coach",
                     "--unit", "jarva", stdin="a long secret\n")
    assert twice.returncode != 0 and "exists already" in twice.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "boss"], "--role must be one of"),
    (["--role", "coach"], "a coach needs --unit"),
    (["--role", "coach", "--unit", "nowhere"], "--unit must be one of"),
])
def test_staff_add_refuses_bad_input_with_a_reason(fresh_sqlite, args, message):
    jobbtorg(fresh_sqlite, "db", "upgrade")
    jobbtorg(fresh_sqlite, "seed", "stockholm")
    result = jobbtorg(fresh_sqlite, "staff", "add", "--username", "x", *args,
                      stdin="a long secret\n")
    assert result.returncode != 0 and message in result.stderr


def test_handoffs_list_json_prints_only_json(database_url):
    jobbtorg(database_url, "db", "upgrade")
    result = jobbtorg(database_url, "handoffs", "list", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_serve_refuses_an_out_of_date_schema_and_says_what_to_run(fresh_sqlite):
    result = jobbtorg(fresh_sqlite, "serve", "--port", "0",
                      env={"JOBBTORG_SECRET_KEY": "x" * 32})
    assert result.returncode != 0
    assert "jobbtorg db upgrade" in result.stderr


def test_serve_requires_a_secret_key(fresh_sqlite):
    result = jobbtorg(fresh_sqlite, "serve")
    assert result.returncode != 0 and "JOBBTORG_SECRET_KEY" in result.stderr


def test_a_bad_setting_exits_with_the_variable_named(fresh_sqlite):
    result = jobbtorg(fresh_sqlite, "db", "upgrade", env={"JOBBTORG_TIMEZONE": "Nowhere/Else"})
    assert result.returncode == 2 and "JOBBTORG_TIMEZONE" in result.stderr
