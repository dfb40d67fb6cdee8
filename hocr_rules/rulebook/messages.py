"""Message templates: `{name}` or `{name:.1f}`, quoting the facts a rule used.

Not `str.format`: its `{x.attr}` and `{x[key]}` forms can reach into objects, and rule files are untrusted.
Here a placeholder is a bare name, checked against the rule's names when the pack loads.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Mapping

from hocr_rules.model.timestamps import london_text

PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)(?::([<>^+\- #0-9.,%a-zA-Z]{0,12}))?\}")
STRAY_BRACE = re.compile(r"[{}]")


MAX_FORMAT_NUMBER = 99  # widths and precisions: a message is one line, not a megabyte


def placeholders(template: str) -> list[str]:
    """Names in a template; raises ValueError on a malformed placeholder or an absurd width."""
    leftover = PLACEHOLDER.sub("", template)
    if STRAY_BRACE.search(leftover):
        raise ValueError("placeholders are {name} or {name:format}, e.g. {hours:.1f}")
    for match in PLACEHOLDER.finditer(template):
        numbers = [int(n) for n in re.findall(r"\d+", match.group(2) or "")]
        if any(n > MAX_FORMAT_NUMBER for n in numbers):
            raise ValueError(f"{{{match.group(1)}:{match.group(2)}}}: widths and precisions go up to "
                             f"{MAX_FORMAT_NUMBER}")
    return [m.group(1) for m in PLACEHOLDER.finditer(template)]


def render(template: str, values: Mapping[str, Any], kinds: Mapping[str, str]) -> str:
    return "".join([text if name is None else text + show(values.get(name), kinds[name], spec)
                    for text, name, spec in _parts(template)])


@functools.lru_cache(maxsize=512)
def _parts(template: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """(text before, placeholder name, format) for each placeholder, then the text after the last: a pack has a
    few dozen templates, each rendered for thousands of findings."""
    parts, end = [], 0
    for match in PLACEHOLDER.finditer(template):
        parts.append((template[end:match.start()], match.group(1), match.group(2)))
        end = match.end()
    parts.append((template[end:], None, None))
    return tuple(parts)


ENUM_CODE = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")


def _words(text: str) -> str:
    """Input codes such as 'parent_or_carer' read as words; ids and references are left as they are."""
    return text.replace("_", " ") if ENUM_CODE.match(text) else text


def show(value: Any, kind: str | None = None, spec: str | None = None) -> str:
    """A fact as a person reads it: local times, yes/no, comma-separated codes, 'unknown' for absent (absent
    data is unknown: "not recorded" would read as a finding that the force failed to record it)."""
    if value is None:
        return "unknown"
    if kind == "time" and isinstance(value, (int, float)):
        return london_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (frozenset, set, list, tuple)):
        return ", ".join(sorted(_words(str(v)) for v in value)) or "none"
    if isinstance(value, str):
        return _words(value)
    if spec:
        try:
            return format(value, spec)
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
