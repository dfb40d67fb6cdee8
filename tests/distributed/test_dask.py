"""hocr_rules.distributed on a real Dask cluster (two worker processes, one thread each, on loopback, no
dashboard): the findings and summary of a local `hocr check` of the same files, rejections and a worker that
dies included. One cluster for the module: starting one costs a few seconds."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from hocr_rules.distributed import Recipe, check_partitions, partitions_of
from hocr_rules.errors import FileError, HocrError
from hocr_rules.parallel import Spliced
from hocr_rules.parallel.pool import FAULT_KILL
from hocr_rules.reporting import Reporting
from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack
from hocr_rules.screening import Summary
from hocr_rules.writers import open_writer

distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install -e '.[dask]')")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
INCLUDE = frozenset({"breach", "review"})
VICTIM = "DASK-KILLS-ITS-WORKER"   # the incident a worker kills itself on (hocr_rules.parallel.pool)
runner = CliRunner()


@pytest.fixture(scope="module")
def client():
    """A local cluster whose workers kill themselves on VICTIM, and give up on a task at its first death
    (`allowed-failures` 0) so that the test of a lost partition takes one worker restart, not four."""
    import dask
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None, env={FAULT_KILL: VICTIM}) as cluster:
            with distributed.Client(cluster) as connected:
                yield connected


@pytest.fixture(scope="module")
def pack():
    return RulePack.load([DEFAULT_RULES])


@pytest.fixture
def audit(tmp_path):
    """A folder of three partitions: examples, the bad records of examples/bad-input.jsonl, and examples
    ending with a blank line and broken JSON."""
    lines = (EXAMPLES / "incidents.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    folder = tmp_path / "audit"
    folder.mkdir()
    (folder / "01-force-a.jsonl").write_text("".join(lines[:30]), encoding="utf-8")
    (folder / "02-bad.jsonl").write_bytes((EXAMPLES / "bad-input.jsonl").read_bytes())
    (folder / "03-force-b.jsonl").write_text("".join(lines[30:]) + "\n{broken\n", encoding="utf-8")
    return folder


def local(files: list[str], out: Path) -> tuple[int, bytes]:
    result = runner.invoke(app, ["check", *files, "--format", "jsonl", "-o", str(out), "-q"])
    return result.exit_code, out.read_bytes()


def on_cluster(client, pack, partitions, fmt: str = "jsonl", window: int | None = None) -> tuple[str, Summary]:
    """What `hocr distributed` writes, through the library."""
    import io
    recipe = Recipe.of([DEFAULT_RULES], None, pack, Reporting(), False, fmt, INCLUDE)
    out, summary = io.StringIO(), Summary()
    writer = Spliced(open_writer(fmt, out, pack), out)
    for checked in check_partitions(client, recipe, partitions, summary, window=window):
        for piece in checked.pieces:
            writer.write(piece, INCLUDE)
    writer.close(summary.as_record())
    return out.getvalue(), summary


def broken_line(audit) -> int:
    """The line of the broken JSON the `audit` fixture ends its last partition with."""
    return (audit / "03-force-b.jsonl").read_text(encoding="utf-8").splitlines().index("{broken") + 1


def examples_count() -> int:
    return len((EXAMPLES / "incidents.jsonl").read_text(encoding="utf-8").splitlines())


def records(text: str | bytes) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_partitions_cut_at_line_ends_and_number_their_lines(audit):
    whole = partitions_of([audit])
    assert [Path(p.source).name for p in whole] == ["01-force-a.jsonl", "02-bad.jsonl", "03-force-b.jsonl"]
    cut = partitions_of([audit], blocksize=3000)
    assert len(cut) > len(whole)
    for name in whole:
        pieces = [p for p in cut if p.source == name.source]
        data = Path(name.path).read_bytes()
        assert b"".join(data[p.start:p.end] for p in pieces) == data
        assert all(data[p.end - 1:p.end] == b"\n" for p in pieces)
        assert [p.line for p in pieces] == [1 + data[:p.start].count(b"\n") for p in pieces]
        blocks = [b for p in pieces for b in p.blocks(size=1000)]
        assert [line for b in blocks for line in b.lines] == data.splitlines(keepends=True)
        assert [b.start for b in blocks] == [1 + sum(len(c.lines) for c in blocks[:i]) for i in range(len(blocks))]


def test_inputs_that_are_not_json_lines_partitions_are_refused_by_name(tmp_path):
    (tmp_path / "incidents.json").write_text("[]")
    for name, says in [(tmp_path / "incidents.json", "is not JSON Lines"), (tmp_path / "absent.jsonl", "no such"),
                       (tmp_path, "holds no JSON Lines")]:
        with pytest.raises(FileError, match=says):
            partitions_of([name])


@pytest.mark.parametrize("blocksize", [None, 2500])
def test_findings_and_summary_are_a_local_runs(client, pack, audit, tmp_path, blocksize):
    partitions = partitions_of([audit], blocksize)
    code, expected = local(sorted({p.source for p in partitions}), tmp_path / "local.jsonl")
    assert code == 2   # rejected records
    text, summary = on_cluster(client, pack, partitions)
    assert text.encode("utf-8") == expected
    assert summary.reconciles and summary.rejected and {"type": "summary", **summary.as_record()} == records(
        expected)[-1]
    assert ("03-force-b.jsonl", broken_line(audit)) in [(Path(r["source"]).name, r["line"]) for r in records(text)
                                            if r["type"] == "rejected"]   # the broken JSON after the blank line


def test_every_machine_format_is_a_local_runs(client, pack, audit, tmp_path):
    partitions = partitions_of([audit], 4000)
    files = sorted({p.source for p in partitions})
    for fmt in ("json", "csv", "sarif", "junit", "github"):
        result = runner.invoke(app, ["check", *files, "--format", fmt, "-o", str(tmp_path / fmt), "-q"])
        assert result.exit_code == 2
        assert on_cluster(client, pack, partitions, fmt)[0].encode("utf-8") == (tmp_path / fmt).read_bytes(), fmt


def test_the_command_writes_parts_that_concatenate_to_the_local_output(client, audit, tmp_path):
    files = [str(p) for p in sorted(audit.iterdir())]
    code, expected = local(files, tmp_path / "local.jsonl")
    address = client.scheduler.address
    result = runner.invoke(app, ["distributed", str(audit), "--scheduler", address, "--parts", str(tmp_path / "out"),
                                 "--blocksize", "3kB"])
    assert result.exit_code == code == 2, result.stderr
    parts = sorted((tmp_path / "out").glob("part-*.jsonl"))
    assert len(parts) > 3
    assert b"".join(p.read_bytes() for p in parts) + (tmp_path / "out" / "summary.jsonl").read_bytes() == expected
    assert f"03-force-b.jsonl:{broken_line(audit)}" in result.stderr.replace("\n", "")   # the broken JSON, reported as locally
    again = runner.invoke(app, ["distributed", str(audit), "--scheduler", address, "--parts", str(tmp_path / "out")])
    assert again.exit_code == 2 and "earlier run" in again.stderr
    one = runner.invoke(app, ["distributed", str(audit), "--scheduler", address, "-o", str(tmp_path / "one.jsonl")])
    assert one.exit_code == 2 and (tmp_path / "one.jsonl").read_bytes() == expected


def test_a_partition_whose_worker_dies_is_reported_record_by_record_and_the_rest_stand(client, pack, audit,
                                                                                      tmp_path):
    line = (EXAMPLES / "incidents.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)[0]
    incident = json.loads(line)["id"]
    (audit / "02-bad.jsonl").write_text("\n" + line + line.replace(incident, VICTIM) + line, encoding="utf-8")
    partitions = partitions_of([audit])
    _, expected = local([p.source for p in partitions], tmp_path / "local.jsonl")
    _, others = local([p.source for p in partitions if "02-bad" not in p.source], tmp_path / "others.jsonl")
    text, summary = on_cluster(client, pack, partitions, window=2)
    assert summary.reconciles and summary.read == records(expected)[-1]["read"] == examples_count() + 3 + 1
    assert summary.rejected == records(others)[-1]["rejected"] + 3
    lost = [r for r in records(text) if r["type"] == "rejected" and "02-bad" in r["source"]]
    assert [r["line"] for r in lost] == [2, 3, 4]   # not the blank line 1
    assert all("died each time Dask ran its partition" in r["problems"][0]["message"] for r in lost)
    assert any("lines 1-4 of" in note and "02-bad.jsonl" in note for note in summary.notes)
    assert [r for r in records(text)[:-1] if r not in lost] == records(others)[:-1]   # the other partitions stand


def test_a_worker_with_another_rule_pack_refuses_to_check(client, pack, audit):
    recipe = Recipe.of([DEFAULT_RULES], None, pack, Reporting(), False, "jsonl", INCLUDE)
    other = Recipe(recipe.folders, None, recipe.reporting, False, "jsonl", INCLUDE, "0" * 64, recipe.version)
    with pytest.raises(HocrError, match="not the client's .* sha256:0000"):
        list(check_partitions(client, other, partitions_of([audit])[:1], Summary()))


def test_a_partition_a_worker_cannot_read_stops_the_run_naming_it(client, pack, audit):
    partitions = partitions_of([audit])
    Path(partitions[0].path).unlink()
    recipe = Recipe.of([DEFAULT_RULES], None, pack, Reporting(), False, "jsonl", INCLUDE)
    with pytest.raises(HocrError, match="01-force-a.jsonl: cannot be read on a Dask worker"):
        list(check_partitions(client, recipe, partitions[:1], Summary()))


def test_the_command_refuses_formats_it_cannot_split(audit, tmp_path):
    result = runner.invoke(app, ["distributed", str(audit), "--parts", str(tmp_path / "p"), "--format", "csv"])
    assert result.exit_code == 2 and "choose jsonl" in result.stderr
    result = runner.invoke(app, ["distributed", str(audit), "--format", "table"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["distributed", str(audit), "--blocksize", "lots"])
    assert result.exit_code == 2 and "64MiB" in result.stderr
    result = runner.invoke(app, ["distributed", str(audit), "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"])
    assert result.exit_code == 2 and "--scheduler local" in result.stderr
