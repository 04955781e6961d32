"""`jobbtorg serve` as real child processes, for the fault tests and the scale-out benchmark.

Each process gets its settings from JOBBTORG_* variables, as in production, and writes its
output to a log file, so a test can kill one with SIGKILL and read what it said.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-token"
SECRET = "webhook-secret_42"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
STARTED = "jobbtorg serve: role"  # the line serve prints once its services are built


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_command() -> list[str]:
    script = Path(sys.executable).parent / "jobbtorg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def serve_env(database_url: str, telegram_api_url: str, **extra: Any) -> dict[str, str]:
    """The environment of a production process with Telegram on (no rate limit of ours
    unless `telegram_rate` is given) and logs at WARNING."""
    values: dict[str, Any] = {
        "database_url": database_url, "secret_key": "test-secret-key-" + "k" * 32,
        "telegram_token": TOKEN, "telegram_webhook_secret": SECRET,
        "telegram_api_url": telegram_api_url, "telegram_rate": 10000, "log_level": "WARNING",
        **extra,
    }
    env = {key: value for key, value in os.environ.items() if not key.startswith("JOBBTORG_")}
    env.update({f"JOBBTORG_{key.upper()}": str(value) for key, value in values.items()})
    env["PYTHONUNBUFFERED"] = "1"
    return env


class ServeProcess:
    """One `jobbtorg serve --role ROLE` child process."""

    def __init__(self, role: str, env: dict[str, str], log_path: Path, port: int | None = None) -> None:
        self.role = role
        self.env = env
        self.log_path = log_path
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServeProcess:
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [*serve_command(), "serve", "--role", self.role, "--host", "127.0.0.1",
             "--port", str(self.port)],
            env=self.env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)
        return self

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    async def ready(self, within: float = 60.0) -> None:
        """Wait until the process has started (a web process: until /healthz answers 200)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"serve --role {self.role} exited:\n{self.output()[-3000:]}")
            if self.role == "worker" and STARTED in self.output():
                return
            if self.role != "worker" and await self.healthy():
                return
            await asyncio.sleep(0.2)
        raise TimeoutError(f"serve --role {self.role} did not start:\n{self.output()[-3000:]}")

    async def healthy(self) -> bool:
        try:
            async with aiohttp.ClientSession() as http, http.get(
                    self.url + "/healthz", timeout=aiohttp.ClientTimeout(total=2)) as answer:
                return answer.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False

    def kill(self) -> None:
        """SIGKILL: no clean-up at all, as when a machine dies."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        self._close_log()

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM, as a deploy does; SIGKILL if it does not end in `timeout` seconds."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._close_log()
        return self.process.returncode

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


async def post_update(http: aiohttp.ClientSession, url: str, body: bytes,
                      seconds: float = 30.0) -> int | str:
    """POST one Telegram update with the secret; the HTTP status, or the error's name."""
    try:
        async with http.post(url + "/webhooks/telegram", data=body, headers={
                SECRET_HEADER: SECRET, "Content-Type": "application/json"},
                timeout=aiohttp.ClientTimeout(total=seconds)) as answer:
            await answer.read()
            return answer.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        return type(exc).__name__


async def wait_until(predicate: Callable[[], Awaitable[bool]], within: float, what: str) -> float:
    """Poll `predicate` until it holds; the seconds it took. Fails after `within` seconds."""
    started = time.monotonic()
    while not await predicate():
        if time.monotonic() - started > within:
            raise AssertionError(f"timed out after {within:.0f} s waiting for {what}")
        await asyncio.sleep(0.1)
    return time.monotonic() - started


async def settled(count: Callable[[], int], quiet: float = 1.0, within: float = 30.0) -> int:
    """`count()` once it has not changed for `quiet` seconds: after a process is killed,
    requests it had already written still reach a fake, as late as a loaded machine lets
    the fake read them; a fixed pause could count before the last one arrived."""
    started = time.monotonic()
    last, still_since = count(), time.monotonic()
    while time.monotonic() - still_since < quiet:
        if time.monotonic() - started > within:
            raise AssertionError(f"still changing after {within:.0f} s ({last})")
        await asyncio.sleep(0.1)
        now = count()
        if now != last:
            last, still_since = now, time.monotonic()
    return last
