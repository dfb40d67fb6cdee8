"""What the crime indicators cost per incident: `IndicatorSet.screen` over incidents with long logs, one core.

    python benchmarks/indicators.py                       # 20,000 and 200,000 incidents, 20 log entries each
    python benchmarks/indicators.py --sizes 20000 --entries 40 --seed 2

Each size runs in a fresh process pinned to one core. Incidents are generated one at a time (so memory measures
the screen, not the data) from fictional call-handler and officer remarks: most entries hold no indicator word,
about one incident in eight has a phrase (some negated, hypothetical, misspelt or in a risk script) and one in
ten a code reading. Only the `screen` calls are timed, in CPU time (time.process_time around each), so that other
work on a shared machine does not count; peak memory is the child's ru_maxrss. The budget from issue 8: at most about 30 us per incident with 20 entries (1.5 us per entry), so
that reading plus rules plus indicators reach 10,000 incidents/s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAIN = ["Caller reports a dispute with a neighbour over parking at {n} Station Road",
         "Unit {n} assigned, ETA ten minutes", "Officers on scene, speaking to both parties separately",
         "PNC checks complete on male, nothing of note", "Caller called back asking for update, ref {n}",
         "Area searched, no trace of the vehicle described", "Advised caller re civil matter and closed",
         "Informant states the group has moved on towards the park", "CCTV requested from the council, log {n}",
         "Resourced to next available unit, grade 2 response", "Male left prior to police arrival",
         "Female spoken to at the address, calm and coherent, happy with police action",
         "Incident updated with description: white male, 30s, dark jacket",
         "Vehicle VRM checked, registered to an address in {n} Hill Lane"]
TELLING = ["Caller states her partner punched her in the face and left", "Male denies any assault, no injuries",
           "Advised to call 999 if he comes back and kicks the door", "IP states he strangeld her on the sofa",
           "DASH Q1 Has the current incident resulted in injury? No", "Previous DV with ex partner in 2019",
           "Caller says her ex keeps turning up at the house", "He took my phone so I could not call you",
           "Door staff report male groped a female customer"]
CODES = [{"field": "closing_code", "code": "CRI", "means": ["crime_related_incident"]},
         {"field": "opening_code", "code": "ASSAULT", "means": ["violence"]},
         {"field": "closing_code", "code": "ADV", "means": ["advice_given"]}]


def incidents(count: int, entries: int, seed: int):
    from hocr_rules.model.incident import Incident
    rng = random.Random(seed)
    start = datetime(2026, 5, 1, tzinfo=timezone.utc)
    for number in range(count):
        at = start + timedelta(minutes=number)
        log = [{"at": (at + timedelta(minutes=k)).isoformat(), "author": f"PC{rng.randrange(1000, 9999)}",
                "text": rng.choice(PLAIN).format(n=rng.randrange(1, 100_000))} for k in range(entries)]
        if rng.random() < 0.125:
            log[rng.randrange(entries)]["text"] = rng.choice(TELLING)
        record = {"id": f"B{number}", "received_at": at.isoformat(), "channel": "emergency_call", "log": log}
        if rng.random() < 0.1:
            record["code_readings"] = [rng.choice(CODES)]
        yield Incident.model_validate(record)


def child(count: int, entries: int, seed: int) -> None:
    import resource
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass
    from hocr_rules.rulebook.pack import RulePack
    indicators = RulePack.load().indicators
    spent, reviews, clock = 0.0, 0, time.process_time
    for incident in incidents(count, entries, seed):
        began = clock()
        found = indicators.screen(incident)
        spent += clock() - began
        reviews += bool(found)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"incidents": count, "entries": entries, "seconds": spent, "with_review": reviews,
                      "us_per_incident": spent / count * 1e6, "peak_mib": peak}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.sizes[0], args.entries, args.seed)
        return
    print(f"{'incidents':>10} {'entries':>8} {'us/incident':>12} {'us/entry':>9} {'incidents/s':>12} "
          f"{'with review':>12} {'peak MiB':>9}")
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--child", "--sizes", str(size), "--entries",
                              str(args.entries), "--seed", str(args.seed)], check=True, capture_output=True,
                             text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
        row = json.loads(out)
        print(f"{row['incidents']:>10,} {row['entries']:>8} {row['us_per_incident']:>12.1f} "
              f"{row['us_per_incident'] / row['entries']:>9.2f} {row['incidents'] / row['seconds']:>12,.0f} "
              f"{row['with_review']:>12,} {row['peak_mib']:>9.1f}")


if __name__ == "__main__":
    main()
