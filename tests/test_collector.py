"""The cycle collector at start-up (hocr_rules/collector.py): paused while start-up builds what it keeps, and
frozen out of the collector's walks only in a process the `hocr` program owns."""

import gc

import pytest

from hocr_rules import collector


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_gives_the_collector_back_as_it_was_also_after_an_error(enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with pytest.raises(RuntimeError), collector.paused():
            assert not gc.isenabled()
            raise RuntimeError("a broken rule file")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_settled_freezes_nothing_in_a_process_the_program_does_not_own():
    before = gc.get_freeze_count()
    collector.settled()
    assert gc.get_freeze_count() == before


def test_settled_freezes_once_in_the_programs_own_process(monkeypatch):
    monkeypatch.setitem(collector._OWNED, "process", False)
    collector.own_process()
    try:
        collector.settled()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        kept = [[] for _ in range(10)]  # made after the freeze
        collector.settled()  # once per process: what the run makes later is collected as usual
        assert gc.get_freeze_count() == frozen and kept
    finally:
        gc.unfreeze()
