"""One generated dispatcher per subject kind: every rule of the pack, in order, with its version chosen inline.

The rule logic itself stays in each version's generated function (`CompiledVersion.run`); this only replaces a
Python loop that asked each rule for its date, looked up its version and called it, which cost more than the
rules themselves. The dispatcher appends compact `(rule, version, applies, verdict)` tuples; derivations write
their fact straight into the subject's facts.
"""

from __future__ import annotations

from typing import Any, Callable

from hocr_rules.rulebook.compiled import CompiledRule

NO_DATE, NOT_IN_FORCE = -1, -2

Judge = Callable[[dict, list, bool], None]


def dispatcher(rules: list[CompiledRule]) -> Judge:
    """`judge(facts, out, explain)`; out-of-scope results are appended only when `explain` is true."""
    namespace: dict[str, Any] = {"__builtins__": {}}
    lines = ["def judge(f, out, explain):"]
    for i, rule in enumerate(rules):
        for j, version in enumerate(rule.versions):
            namespace[f"_r{i}v{j}"] = version.run
        lines.append(f"  w = f[{rule.dated_by!r}]")
        derives = rule.source.derives
        if derives:
            lines.append(f"  if w is None: f[{derives!r}] = None")
        else:
            # no date to choose a version by: out of scope if the current version could not apply anyway
            latest = f"_r{i}v{len(rule.versions) - 1}"
            lines.append("  if w is None:")
            lines.append(f"    if {latest}(f)[0] is not False: out.append(({i}, {NO_DATE}, None, None))")
            lines.append(f"    elif explain: out.append(({i}, {NO_DATE}, False, None))")
        for j in reversed(range(len(rule.versions))):
            version = rule.versions[j]
            name = f"_r{i}v{j}"
            lines.append(f"  elif w >= {version.start_seconds!r}:")
            if derives:
                lines.append(f"    f[{derives!r}] = {name}(f)[1]")
            else:
                lines.append(f"    a, v = {name}(f)")
                lines.append(f"    if a is not False or explain: out.append(({i}, {j}, a, v))")
        if derives:
            lines.append(f"  else: f[{derives!r}] = None")
        else:
            lines.append(f"  elif explain: out.append(({i}, {NOT_IN_FORCE}, False, None))")
    if len(lines) == 1:
        lines.append("  return")
    exec(compile("\n".join(lines), "<rule dispatcher>", "exec"), namespace)  # noqa: S102 - generated from the pack
    return namespace["judge"]
