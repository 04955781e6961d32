"""Staff password hashing with argon2."""

from __future__ import annotations

import asyncio
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _stand_in_hash() -> str:
    """A hash no password matches, checked for unknown users so they take as long."""
    return _hasher.hash("no staff user has this password, it only spends the same time")


async def check_password(password_hash: str | None, password: str) -> bool:
    """verify_password in a worker thread (argon2 releases the GIL; the event loop keeps
    serving webhooks); with no hash (unknown user) a stand-in is checked and False returned."""
    if not password_hash:
        await asyncio.to_thread(lambda: verify_password(_stand_in_hash(), password))
        return False
    return await asyncio.to_thread(verify_password, password_hash, password)
