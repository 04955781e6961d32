"""The fake Bot API in a process of its own, as a real provider is: the sender under test
then has its event loop to itself. Prints its port, then serves until stdin closes.

GET /_stats gives what it saw: accepted sends (chat id, monotonic time) and the status
of every send request (with ?texts=1 also each send's chat id and text); POST /_reset forgets it all.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from aiohttp import web

from tests.fakes.telegram_api import FakeTelegram


class CountingFake(FakeTelegram):
    def build_app(self) -> web.Application:
        app = super().build_app()
        app.router.add_get("/_stats", self._stats)
        app.router.add_post("/_reset", self._reset)
        return app

    async def _stats(self, request: web.Request) -> web.Response:
        data: dict[str, Any] = {
            "sent": [[s.chat_id, s.at] for s in self.sent],
            "statuses": [c.status for c in self.requests if c.method == "sendMessage"],
        }
        if request.query.get("texts"):  # what each accepted send said, for scaleout's checks
            data["texts"] = [[s.chat_id, s.text] for s in self.sent]
        return web.Response(text=json.dumps(data), content_type="application/json")

    async def _reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})


async def serve(limit: int | None) -> None:
    async with CountingFake(overall_limit=limit) as fake:
        print(fake.port, flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes it


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0, help="sends per 1-second window; 0: none")
    args = parser.parse_args()
    asyncio.run(serve(args.limit or None))


if __name__ == "__main__":
    main()
