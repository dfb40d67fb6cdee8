"""Crime indicators: screening what was never coded (codes, qualifiers and log phrases that point to an offence
with no disclosure, crime record or rationale), raising a `review` for an auditor. See docs/indicators.md."""
