"""Staff actions after a programme: record an avslut (and so schedule its survey).

Shared by the CLI and the dashboard; each edge parses its input and presents the result
or the `Refused` reason."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import survey
from handlers.actions.bookings import Actor, Refused
from handlers.base import Policy
from storage.followup import Avslut, FollowupError
from storage.models import Contact


async def record_avslut(session: AsyncSession, policy: Policy, actor: Actor, now: datetime,
                        contact_id: int, ended_on: date, reason: str,
                        unit_id: int | None = None, replace: bool = False,
                        programme: str | None = None) -> Avslut:
    """Record the end of a programme with its reason; its survey is scheduled by when the
    avslut was (see handlers.survey.schedule_survey). The caller has checked that the
    actor may see the person. Raise Refused: avslut (why), before-enrolment."""
    if not actor.may_act_on(unit_id) and unit_id is not None:
        raise Refused("not-found", f"no unit {unit_id} for this actor")
    contact = await session.get(Contact, contact_id)
    if contact is not None and contact.enrolled_at is not None:
        enrolled_on = contact.enrolled_at.astimezone(policy.zone).date()
        if ended_on < enrolled_on:
            raise Refused("before-enrolment", f"the avslut ({ended_on}) is before the "
                          f"enrolment ({enrolled_on}): give a date on or after it")
    try:
        return await survey.record_avslut(session, contact_id, ended_on, reason, actor.name, now,
                                          policy, unit_id=unit_id, replace=replace,
                                          programme=programme)
    except FollowupError as error:
        raise Refused("avslut", str(error)) from None
