"""The incident model (pydantic v2): incidents, their logs, disclosures, crime records, N100s, cancellations."""

from hocr_rules.model.incident import (Cancellation, CodeReading, CrimeRecord, Disclosure, Incident, LogEntry,  # noqa: F401
                                       LogSpan, N100Record, Person)
