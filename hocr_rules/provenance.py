"""Where a result came from: the tool's version and a digest of the rule pack that produced it.

An audit figure is evidence, so a report must say which rules made it: the same version number can run a
force's own rule folder or a profile that moves a date. The digest is taken over what the rules *say*
(each rule and indicator file as validated, the pack parameters after the profile, the profile itself), not
over paths, so two clones of the same pack agree and any change to a rule, a parameter or the profile changes it.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import metadata

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
    """A SHA-256 over the pack's rules, parameters and profile, in a canonical order (hex, 64 characters)."""
    content = {
        "rules": {rule.code: rule.source.model_dump(mode="json") for rule in pack.rules},
        "indicators": {i.code: i.source.model_dump(mode="json") for i in pack.indicators.indicators},
        "parameters": pack.parameters,
        "profile": pack.profile.model_dump(mode="json"),
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
