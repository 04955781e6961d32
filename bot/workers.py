"""Starts and stops the background loops (dispatcher, scheduler) and the web server."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from aiohttp import web

from bot.app import build_app, build_worker_app
from bot.scheduler import run_scheduler
from bot.services import Services
from bot.web.metrics import build_metrics_app


async def run_until_stopped(services: Services, host: str, port: int, web_role: bool = True,
                            worker_role: bool = True, on_started: object = None) -> None:
    """Serve until SIGINT/SIGTERM; then stop the loops and close the database."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    tasks: list[asyncio.Task[None]] = []
    # A worker alone still listens: health checks and its send metrics.
    runners: list[web.AppRunner] = []
    # The metrics port first: once /healthz answers, every port of the process listens.
    if services.settings.metrics_port is not None:
        runners.append(web.AppRunner(build_metrics_app(services), access_log=None))
        await runners[-1].setup()
        await web.TCPSite(runners[-1], host, services.settings.metrics_port).start()
    runner = web.AppRunner(build_app(services) if web_role else build_worker_app(services),
                           access_log=None)
    await runner.setup()
    runners.append(runner)
    await web.TCPSite(runner, host, port).start()
    if worker_role:
        tasks.append(asyncio.create_task(services.dispatcher.run(stop)))
        tasks.append(asyncio.create_task(run_scheduler(services.engine, stop)))
    for starter in services.extras.get("background", []):  # type: ignore[attr-defined]
        tasks.append(asyncio.create_task(starter(stop)))
    if callable(on_started):
        on_started()
    try:
        await stop.wait()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for each in runners:
            await each.cleanup()
        await services.close()
