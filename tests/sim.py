"""A person in the simulator, for tests: say things, press options, read replies."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient


class SimPerson:
    def __init__(self, client: TestClient[Any, Any], user: str, channel: str = "telegram") -> None:
        self.client = client
        self.user = user
        self.channel = channel
        self.replies: list[dict[str, Any]] = []

    async def send(self, text: str | None = None, choice: str | None = None) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"user": self.user, "channel": self.channel}
        if text is not None:
            body["text"] = text
        if choice is not None:
            body["choice"] = choice
        response = await self.client.post("/sim/api/messages", json=body)
        assert response.status == 200, await response.text()
        self.replies = (await response.json())["replies"]
        return self.replies

    async def press(self, key: str) -> list[dict[str, Any]]:
        """Choose an option by key (a button in Telegram, the number in SMS)."""
        options = self.options
        keys = [o["key"] for o in options]
        assert key in keys, f"{key} not offered; offered {keys}"
        if self.channel == "sms":
            return await self.send(str(keys.index(key) + 1))
        return await self.send(choice=key)

    @property
    def options(self) -> list[dict[str, str]]:
        return self.replies[-1]["options"] if self.replies else []

    @property
    def keys(self) -> list[str]:
        return [o["key"] for o in self.options]

    @property
    def text(self) -> str:
        return "\n".join(r["text"] for r in self.replies)

    async def inbox(self) -> list[dict[str, Any]]:
        response = await self.client.get(
            "/sim/api/messages", params={"user": self.user, "channel": self.channel})
        assert response.status == 200
        return (await response.json())["messages"]

    async def onboard(self, language: str = "sv", age: str = "20-24",
                      district: str = "rinkeby-kista", gender: str = "kvinna",
                      help_topic: str = "jobb") -> None:
        """Walk the whole onboarding to the main menu."""
        await self.send("hej")
        await self.press(language)
        await self.press("yes")
        await self.press(age)
        if district in self.keys:
            await self.press(district)
        else:
            await self.send(district.replace("-", " "))
        await self.press(gender)
        await self.press(help_topic)
        assert "faq" in self.keys, self.text


async def advance(client: TestClient[Any, Any], seconds: float) -> str:
    response = await client.post("/sim/api/clock", json={"advance_seconds": seconds})
    assert response.status == 200, await response.text()
    return (await response.json())["now"]
