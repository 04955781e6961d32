"""JOBBTORG_METRICS_PORT: /metrics on a port of its own, not beside the webhooks."""

from __future__ import annotations

import aiohttp

from tests.fakes import FakeTelegram
from tests.processes import ServeProcess, free_port, serve_env
from tests.test_cli import jobbtorg


async def status(url: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(url) as answer:
        return answer.status


async def test_metrics_move_to_their_own_port_when_one_is_set(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'metrics.db'}"
    metrics_port = free_port()
    async with FakeTelegram() as telegram:
        env = serve_env(url, telegram.root_url, metrics_port=metrics_port)
        assert jobbtorg(url, "db", "upgrade").returncode == 0
        web = ServeProcess("web", env, tmp_path / "web.log").start()
        try:
            await web.ready()
            assert await status(f"http://127.0.0.1:{metrics_port}/metrics") == 200
            assert await status(web.url + "/metrics") == 404
            assert await status(f"http://127.0.0.1:{metrics_port}/webhooks/telegram") == 404
        finally:
            web.stop()
