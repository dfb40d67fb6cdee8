"""The incident model (pydantic v2): incidents, disclosures, crime records, N100s, cancellations."""

from hocr_rules.model.incident import (Cancellation, CrimeRecord, Disclosure, Incident, N100Record,  # noqa: F401
                                       Person)
