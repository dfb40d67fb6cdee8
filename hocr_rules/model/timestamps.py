"""Timestamps that know their time zone.

The 24-hour limit is elapsed time. A naive timestamp cannot be placed on the time line (an hour of local time
repeats when the clocks go back), so it is rejected unless the caller says explicitly how to read it. The
option to read naive times as Europe/London exists because many force systems export local time without an
offset; it is never the default.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, ValidationInfo
from pydantic_core import PydanticCustomError

LONDON = ZoneInfo("Europe/London")

#: Key of the validation context that says how to read naive timestamps (a `ZoneInfo`), if at all.
NAIVE_TIMEZONE = "naive_timezone"


def _require_zone(parsed: datetime, info: ValidationInfo) -> datetime:
    """After pydantic has parsed the time (a check after parsing costs a fifth of one wrapped around it)."""
    if parsed.tzinfo is not None and parsed.utcoffset() is not None:
        return parsed
    zone = (info.context or {}).get(NAIVE_TIMEZONE)
    if zone is None:
        raise PydanticCustomError(
            "naive_timestamp",
            "timestamp '{value}' has no time zone; add an offset such as +01:00 or Z, "
            "or pass --assume-london to read times without one as Europe/London",
            {"value": parsed.isoformat()},
        )
    return parsed.replace(tzinfo=zone)


Timestamp = Annotated[datetime, AfterValidator(_require_zone)]


def epoch(moment: datetime | None) -> float | None:
    """Seconds since the epoch: the form the engines compare and subtract (durable-rules needs numbers)."""
    return None if moment is None else moment.timestamp()


@lru_cache(maxsize=4096)  # a finding shows the same time in its message and its facts
def london_text(seconds: float) -> str:
    """A time for people: local time in England and Wales, with its offset so it is never ambiguous."""
    return datetime.fromtimestamp(seconds, LONDON).isoformat(timespec="minutes")
