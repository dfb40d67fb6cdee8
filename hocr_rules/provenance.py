"""Where a result came from: the tool's version, a digest of the rule pack that produced it, and (`record`) the
profile, the input files and the time of the run.

An audit figure is evidence, so a report must say which rules made it: the same version number can run a
force's own rule folder or a profile that moves a date. The digest is taken over what the rules *say*
(each rule and indicator file as validated, the phrase files the cancellation rules read, the offence
table, the pack parameters after the profile, the profile itself), not
over paths, so two clones of the same pack agree and any change to a rule, a parameter or the profile changes it.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from hocr_rules import offences
from hocr_rules.errors import HocrError
from hocr_rules.facts import phrase_grounds

if TYPE_CHECKING:  # the pack cache asks for tool_version while the pack is being imported
    from hocr_rules.rulebook.pack import RulePack

DISTRIBUTION = "hocr-rules"


@cache
def tool_version() -> str:
    """The installed package's version, or 'unknown' when run from a tree that was never installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def pack_digest(pack: RulePack) -> str:
    """A SHA-256 over the pack's rules, phrases, offence table, parameters and profile, in a canonical order (hex,
    64 characters)."""
    content = {
        "rules": {rule.code: rule.source.model_dump(mode="json") for rule in pack.rules},
        "indicators": {i.code: i.source.model_dump(mode="json") for i in pack.indicators.indicators},
        "phrases": {file.name: file.load().model_dump(mode="json") for file in phrase_grounds.FILES},
        "offences": file_digest(offences.DEFAULT_PATH),
        "parameters": pack.parameters,
        "profile": pack.profile.model_dump(mode="json"),
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (hex), read in blocks: exports run to gigabytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ran_at() -> str:
    """When the run happened, in UTC to the second; `SOURCE_DATE_EPOCH` (reproducible-builds.org) replaces the
    clock, so two runs on the same input can be byte-identical."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if fixed and not fixed.isdigit():
        raise HocrError(f"SOURCE_DATE_EPOCH={fixed!r}: expected whole seconds since 1970-01-01 UTC")
    moment = datetime.fromtimestamp(int(fixed), timezone.utc) if fixed else datetime.now(timezone.utc)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def record(pack: RulePack, profile: Path | None, inputs: Iterable[str]) -> dict[str, Any]:
    """What produced a result, for a report to carry: the tool, the rule pack, the profile with its overrides,
    every input file with its SHA-256 (null for standard input, which cannot be read twice, and for a file
    that could not be read, which the run reported),
    and when it ran (documented in docs/audit.md)."""
    return {
        "tool": {"name": DISTRIBUTION, "version": tool_version()},
        "rule_pack": {"sha256": pack_digest(pack), "rules": len(pack.rules)},
        "profile": None if profile is None else {
            "file": str(profile), "sha256": file_digest(profile),
            "overrides": pack.profile.model_dump(mode="json", exclude_defaults=True)},
        "inputs": [{"file": name, "sha256": file_digest(Path(name)) if Path(name).is_file() else None}
                   for name in inputs],
        "ran_at": ran_at(),
    }
