"""The same input gives byte-identical output in every format, whatever the machine's hash seed, locale or time
zone. Each environment is a fresh Python process running every command (with SOURCE_DATE_EPOCH set, the
reproducible-builds convention for "when it ran"), and every file it writes is compared byte for byte."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "incidents.jsonl"
EXPORTS = ROOT / "examples" / "exports"
FORMATS = ("table", "json", "jsonl", "csv", "sarif", "junit", "github")
COMMANDS = [["check", str(EXAMPLES), "--all-outcomes", "-f", fmt, "-o", f"check.{fmt}"] for fmt in FORMATS] + [
    ["check", "--mapping", str(EXPORTS / "exampleshire.mapping.yaml"), *map(str, sorted(EXPORTS.glob("csv/*.csv"))),
     str(EXPORTS / "storm" / "storm-logs.txt"), "--all-outcomes", "-f", "jsonl", "-o", "exports.jsonl"],
    ["audit", str(EXAMPLES), "-f", "json", "-o", "audit.json"],
    ["audit", str(EXAMPLES), "-f", "table", "-o", "audit.txt", "--html", "audit.html"],
    ["sample", str(EXAMPLES), "--size", "10", "--seed", "3", "--by", "category", "--out", "sample"],
]
#: every command in one process, so the hash seed, locale and zone are the process's own
DRIVER = f"""
import sys
from cli.main import app
for args in {COMMANDS!r}:
    try:
        app(args, standalone_mode=False)
    except SystemExit:
        pass
"""
ENVIRONMENTS = [
    {"PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8", "TZ": "UTC"},
    {"PYTHONHASHSEED": "4242", "LC_ALL": "C", "TZ": "Pacific/Kiritimati"},
    {"PYTHONHASHSEED": "random", "LC_ALL": "en_GB.UTF-8", "TZ": "America/New_York"},
]


def outputs(folder: Path, environment: dict) -> dict[str, bytes]:
    folder.mkdir()
    env = {**os.environ, **environment, "SOURCE_DATE_EPOCH": "1767225600", "COLUMNS": "120",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", DRIVER], cwd=folder, env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_every_output_is_byte_identical_whatever_the_hash_seed_locale_or_time_zone(tmp_path):
    first, *others = [outputs(tmp_path / str(n), environment) for n, environment in enumerate(ENVIRONMENTS)]
    assert len(first) == len(FORMATS) + 6 and all(first.values()), sorted(first)
    for environment, found in zip(ENVIRONMENTS[1:], others):
        differing = sorted(name for name in first if found.get(name) != first[name])
        assert not differing and set(found) == set(first), f"{environment}: {differing}"
