"""Whether conduct reported now continues a conduct crime already recorded (2026/27 p. 58).

Further stalking, harassment or controlling behaviour by the same offender against the same victim is added to
the crime already recorded, not recorded again, unless the police have since dealt with the offender (charge,
summons, caution) or three months have passed from the last recorded incident, when a new crime recording
decision is made. The earlier crime is usually on an earlier incident, outside the one being judged, so the
disclosure carries a link to it (`continues_crime`) with the time of its last recorded incident. The break is
counted here in whole calendar months of England and Wales time, as the rules count months; the standard
library has no month arithmetic (timedelta has no months), and the clamp to a month's last day is the one
choice to make, so it is written out rather than taken from a dependency.
"""

from __future__ import annotations

import calendar
from datetime import datetime

from hocr_rules.model.incident import Disclosure
from hocr_rules.model.timestamps import LONDON, epoch


def _plus_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later; the month's last day where it has no such day (31 January + 1 month
    is 28 or 29 February)."""
    year, month = divmod(moment.month - 1 + months, 12)
    year, month = moment.year + year, month + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def whole_months(start: float, end: float) -> int:
    """Whole calendar months from `start` to `end` (epoch seconds) on the local clock; 0 if `end` is earlier."""
    a, b = (datetime.fromtimestamp(t, LONDON).replace(tzinfo=None) for t in (start, end))
    months = (b.year - a.year) * 12 + b.month - a.month
    if months > 0 and _plus_months(a, months) > b:
        months -= 1
    return max(months, 0)


def resumed_at(d: Disclosure) -> float | None:
    """When the conduct resumed after the last incident recorded on the earlier crime: the first occasion listed
    after it, else when the offence was committed (for a course of conduct its last occasion, so a break counted
    to it is never shorter than the real one); unknown if neither is recorded."""
    last = epoch(d.continues_crime_last_at)
    later = [t for t in map(epoch, d.occasions) if last is None or t > last]
    return min(later) if later else epoch(d.committed_at)


def break_months(d: Disclosure) -> int | None:
    """Whole months from the earlier crime's last recorded incident to the conduct resuming; unknown if either
    time is not recorded."""
    last, resumed = epoch(d.continues_crime_last_at), resumed_at(d)
    return None if last is None or resumed is None else whole_months(last, resumed)
