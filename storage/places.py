"""Queries and seed data for the jobbtorg units and the districts routed to them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import District, Unit

# DOMAIN.md, "Places": the five jobbtorg and the thirteen districts routed to them.
STOCKHOLM: list[dict[str, object]] = [
    {"slug": "jarva", "name": "Jobbtorg Järva", "site": "Kista",
     "address": "Kistagången 12, Kista", "phone": "08-508 000 00",
     "districts": [("rinkeby-kista", "Rinkeby-Kista"), ("spanga-tensta", "Spånga-Tensta")]},
    {"slug": "vasterort", "name": "Jobbtorg Västerort", "site": "Vällingby",
     "address": "Vällingbyplan 2, Vällingby", "phone": "08-508 000 00",
     "districts": [("hasselby-vallingby", "Hässelby-Vällingby"), ("bromma", "Bromma")]},
    {"slug": "innerstaden", "name": "Jobbtorg Innerstaden", "site": "Kungsholmen",
     "address": "Fleminggatan 4, Kungsholmen", "phone": "08-508 000 00",
     "districts": [("kungsholmen", "Kungsholmen"), ("norrmalm", "Norrmalm"),
                   ("ostermalm", "Östermalm"), ("sodermalm", "Södermalm")]},
    {"slug": "sydvast", "name": "Jobbtorg Sydväst", "site": "Skärholmen",
     "address": "Skärholmsvägen 9, Skärholmen", "phone": "08-508 000 00",
     "districts": [("skarholmen", "Skärholmen"), ("hagersten-alvsjo", "Hägersten-Älvsjö")]},
    {"slug": "sydost", "name": "Jobbtorg Sydost", "site": "Vantör",
     "address": "Högdalsgången 3, Högdalen", "phone": "08-508 000 00",
     "districts": [("enskede-arsta-vantor", "Enskede-Årsta-Vantör"), ("farsta", "Farsta"),
                   ("skarpnack", "Skarpnäck")]},
]

# Other names people use for a district (parts of it), for matching typed answers.
DISTRICT_ALIASES: dict[str, list[str]] = {
    "rinkeby-kista": ["Rinkeby", "Kista", "Husby", "Akalla", "Järva"],
    "spanga-tensta": ["Tensta", "Hjulsta", "Spånga"],
    "hasselby-vallingby": ["Hässelby", "Vällingby", "Råcksta"],
    "bromma": ["Alvik", "Abrahamsberg"],
    "norrmalm": ["City", "Vasastan", "Vasastaden"],
    "sodermalm": ["Söder"],
    "skarholmen": ["Bredäng", "Sätra", "Vårberg"],
    "hagersten-alvsjo": ["Hägersten", "Älvsjö", "Liljeholmen", "Fruängen"],
    "enskede-arsta-vantor": ["Enskede", "Årsta", "Vantör", "Högdalen", "Rågsved"],
    "farsta": ["Hökarängen", "Sköndal"],
    "skarpnack": ["Bagarmossen", "Hammarbyhöjden"],
}


async def seed_stockholm(session: AsyncSession) -> tuple[int, int]:
    """Load the five jobbtorg and thirteen districts; safe to run again. Returns counts."""
    units = districts = 0
    for entry in STOCKHOLM:
        unit = (await session.execute(select(Unit).where(Unit.slug == entry["slug"]))).scalar()
        if unit is None:
            unit = Unit(slug=str(entry["slug"]), name=str(entry["name"]))
            session.add(unit)
            units += 1
        unit.name, unit.site = str(entry["name"]), str(entry["site"])
        unit.address, unit.phone = str(entry["address"]), str(entry["phone"])
        await session.flush()
        for slug, name in entry["districts"]:  # type: ignore[attr-defined]
            district = (
                await session.execute(select(District).where(District.slug == slug))
            ).scalar()
            if district is None:
                assert unit.id is not None
                district = District(slug=slug, name=name, unit_id=unit.id)
                session.add(district)
                districts += 1
            district.unit_id = unit.id  # type: ignore[assignment]
    await session.flush()
    return units, districts


async def all_districts(session: AsyncSession) -> list[District]:
    return list((await session.execute(select(District).order_by(District.name))).scalars())


async def all_units(session: AsyncSession) -> list[Unit]:
    return list((await session.execute(select(Unit).order_by(col(Unit.id)))).scalars())


async def unit_by_slug(session: AsyncSession, slug: str) -> Unit | None:
    return (await session.execute(select(Unit).where(Unit.slug == slug))).scalar_one_or_none()


async def district_by_slug(session: AsyncSession, slug: str) -> District | None:
    result = await session.execute(select(District).where(District.slug == slug))
    return result.scalar_one_or_none()
