"""Dates as pages give them: a day, a month or a year alone (a monthly's issue, a yearbook).

A date is kept as ISO text (2024-09-06, 2024-09, 2024) in records and as one number in the index,
YYYYMMDD with 00 for what is not known (20240906, 20240900, 20240000; 0 for no date), so a list
sorts by it and a query filters by it in one array operation. A date stands for the days it may
be: 2024 is any day of 2024, so it falls within `date:2023..2024` but not within `date:2024-09`.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

NONE = 0  # the code of an article whose page gives no date

# What a person types for a date: 2024-09-06, 2024/9/6, 2024.9.6, 2024年9月6日, or a month or a
# year alone.
_DATE = re.compile(
    r"(?P<y>\d{4})(?:\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})(?:\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?|\s*月)?)?\s*年?"
)


def parse_date(text: str) -> str | None:
    """A date as people write it, in ISO (2024年9月6日 → 2024-09-06, 2024年9月 → 2024-09); None
    for anything that is not a real date."""
    m = _DATE.fullmatch(text.strip())
    if not m:
        return None
    year, month, day = int(m["y"]), m["m"] and int(m["m"]), m["d"] and int(m["d"])
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def code(iso: str | None) -> int:
    """An ISO date (whole, a month or a year) as its number; NONE for none or a malformed one."""
    if not iso:
        return NONE
    parts = iso.split("-")
    if len(parts) > 3 or not all(p.isdigit() for p in parts):
        return NONE
    year, month, day = (int(p) for p in (*parts, "0", "0")[:3])
    return year * 10000 + month * 100 + day


def iso(number: int) -> str:
    """A date's number back as ISO text ("" for NONE)."""
    if number == NONE:
        return ""
    year, month, day = number // 10000, number // 100 % 100, number % 100
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def latest(numbers: np.ndarray) -> np.ndarray:
    """The last day each date may be (00 read as the end of its year or month), for comparing a
    date that is only a month or a year with a range."""
    numbers = np.asarray(numbers, dtype=np.int64)
    return np.where(numbers % 10000 == 0, numbers + 1299, np.where(numbers % 100 == 0, numbers + 99, numbers))


def within(numbers: np.ndarray, first: int, last: int) -> np.ndarray:
    """Which dates lie wholly within first..last (numbers; `last` as `latest` reads it): 2024-09
    within 2024, 2024 not within 2024-09. No date is within no range."""
    numbers = np.asarray(numbers, dtype=np.int64)
    return (numbers != NONE) & (numbers >= first) & (latest(numbers) <= int(latest(np.array([last]))[0]))
