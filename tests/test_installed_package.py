"""Installed as pre-commit installs it (pip install of the repository, not editable), hocr carries the bundled pack.

pre-commit pip-installs the repository into a venv of its own and runs the hook's entry there, from the force's
repository. This does the same without the network: the working tree is copied (so no build files land in it) and
installed with --no-deps --no-build-isolation into a fresh venv whose dependencies are ours (a .pth line adds our
site-packages after its own, without running our editable install's hooks), then `hocr rules test` and `hocr check`
run from another folder. It builds a wheel, so it takes several seconds; it runs in CI like every other test.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "hocr_rules", "cli", "rules")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh venv with hocr-rules pip-installed from a copy of this working tree."""
    base = tmp_path_factory.mktemp("installed")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=lambda folder, names: [
        name for name in names if (Path(folder) == ROOT and name not in SHIPPED)
        or name in ("__pycache__", "bundled_rules") or name.endswith(".egg-info")])
    target = base / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "ours.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    run = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                          "--no-index", "--disable-pip-version-check", str(source)],
                         capture_output=True, text=True, timeout=600, cwd=base)
    assert run.returncode == 0, run.stdout + run.stderr
    shutil.rmtree(source)  # nothing may be read from the tree it was built from
    return target / "bin"


def hocr(bin_folder: Path, *arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {"PATH": f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "200",
                   "NO_COLOR": "1", "HOME": str(cwd)}
    return subprocess.run([str(bin_folder / "hocr"), *arguments], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env=environment)


def test_the_installed_package_reads_its_own_copy_of_the_pack(installed, tmp_path):
    run = subprocess.run([str(installed / "python"), "-c",
                          "from hocr_rules.rulebook.pack import DEFAULT_RULES; from hocr_rules import offences; "
                          "print(DEFAULT_RULES); print(offences.DEFAULT_PATH)"],
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    rules, table = run.stdout.split()
    assert Path(rules).is_relative_to(installed.parent) and Path(rules).name == "bundled_rules"
    assert Path(table).is_file() and Path(table).parent == Path(rules)
    shipped = {p.relative_to(ROOT / "rules") for p in (ROOT / "rules").rglob("*") if p.is_file()}
    assert {p.relative_to(rules) for p in Path(rules).rglob("*") if p.is_file()} == shipped


def test_the_hook_command_runs_every_case_from_a_force_repository(installed, tmp_path):
    run = hocr(installed, "rules", "test", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert " 0 failed" in run.stdout and "passed" in run.stdout


def test_the_hook_command_runs_a_changed_force_rule_file(installed, tmp_path):
    force = tmp_path / "force-rules"
    force.mkdir()
    shutil.copy2(ROOT / "rules" / "TL01-late-crime-record.yaml", force)
    run = hocr(installed, "rules", "test", "force-rules/TL01-late-crime-record.yaml", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "pass TL01-1 " in run.stdout


def test_check_reads_the_examples_with_the_installed_pack(installed, tmp_path):
    run = hocr(installed, "check", str(ROOT / "examples" / "incidents.jsonl"), "--format", "json", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr  # the examples have breaches
    assert '"rule": "TL01"' in run.stdout
