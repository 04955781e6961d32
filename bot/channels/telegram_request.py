"""python-telegram-bot's HTTP layer on aiohttp, for sending at 1,000+ messages a second.

PTB's default (httpx) spends most of its time managing its connection pool once many
sends are in flight (about 220 sends/s here); aiohttp's keep-alive pool does not. PTB
lets any `BaseRequest` carry its calls, so the Bot API semantics (errors, retry_after,
files) stay PTB's own.
"""

from __future__ import annotations

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


def _seconds(value: object, default: float | None) -> float | None:
    """A timeout PTB passed: a number, None (no limit) or its 'use the default' marker."""
    if value is None or isinstance(value, int | float):
        return value  # type: ignore[return-value]
    return default


class AiohttpRequest(BaseRequest):
    """One aiohttp session with up to `connections` keep-alive connections."""

    def __init__(self, connections: int = 64, connect_timeout: float = 5.0,
                 read_timeout: float | None = 10.0, pool_timeout: float = 30.0) -> None:
        self.connections = connections
        self.connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self.pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.connections, ttl_dns_cache=300),
                headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        data: aiohttp.FormData | dict[str, str] | None = None
        if request_data is not None:
            files = request_data.multipart_data
            data = request_data.json_parameters
            if files:
                form = aiohttp.FormData()
                for key, value in data.items():
                    form.add_field(key, value)
                for name, (filename, content, mime) in files.items():
                    form.add_field(name, content, filename=filename, content_type=mime)
                data = form
        connect = (_seconds(connect_timeout, self.connect_timeout) or 0) + \
            (_seconds(pool_timeout, self.pool_timeout) or 0)
        timeout = aiohttp.ClientTimeout(total=None, connect=connect or None,
                                        sock_read=_seconds(read_timeout, self._read_timeout))
        try:
            async with self._session.request(method, url, data=data, timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err
