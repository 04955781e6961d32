"""`jobbtorg serve` with a configuration that cannot work: one line naming the problem, exit 2."""

from __future__ import annotations

import socket

import pytest

from tests.test_cli import jobbtorg

KEY = {"JOBBTORG_SECRET_KEY": "k" * 32}


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr[:2000]
    return lines[0]


@pytest.mark.parametrize(("url", "words"), [
    ("sqlite+aiosqlite:////no/such/folder/jobbtorg.db", "/no/such/folder"),
    ("postgresql+asyncpg://postgres:hemligt@127.0.0.1:1/jobbtorg", "127.0.0.1"),
], ids=["sqlite-folder-missing", "postgres-unreachable"])
def test_a_database_that_cannot_be_used_is_one_line_and_exit_2(url, words):
    result = jobbtorg(url, "serve", "--port", "0", env=KEY)
    line = one_line(result.stderr)
    assert result.returncode == 2 and words in line and "hemligt" not in line


def test_a_missing_postgres_database_is_one_line_and_exit_2(postgres_url):
    url = postgres_url.rsplit("/", 1)[0] + "/no_such_jobbtorg_database"
    result = jobbtorg(url, "serve", "--port", "0", env=KEY)
    assert result.returncode == 2 and "no_such_jobbtorg_database" in one_line(result.stderr)


def test_a_port_in_use_is_one_line_and_exit_2(sqlite_url):
    url = sqlite_url
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = jobbtorg(url, "serve", "--host", "127.0.0.1", "--port", str(port), env=KEY)
    assert result.returncode == 2 and str(port) in one_line(result.stderr)


def test_a_secret_key_under_32_characters_is_refused(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}"
    result = jobbtorg(url, "serve", env={"JOBBTORG_SECRET_KEY": "k" * 31})
    assert result.returncode == 2 and "32" in one_line(result.stderr)
