"""A full reload writes the store in batches, each bulk-loaded in a thread while the next is produced
(gtkg/store/embedded.py, BulkWriter): every quad arrives, a store written in many batches is compacted, and an
error of the engine or of the input leaves the store as it was."""

import pyoxigraph as ox
import pytest

from gtkg.errors import InputError, StoreError
from gtkg.store.embedded import BulkWriter, EmbeddedStore, named_quads


def lines(first: int, count: int) -> str:
    return "".join(f"<urn:s{i}> <urn:p> \"{i}\" <urn:g{i % 3}> .\n" for i in range(first, first + count))


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of a few hundred bytes, so that a few lines make many batches."""
    init = BulkWriter.__init__

    def small(self, db, *, on_disk):
        init(self, db, on_disk=on_disk)
        self.most = self.batch_bytes = 200

    monkeypatch.setattr(BulkWriter, "__init__", small)
    monkeypatch.setattr(BulkWriter, "COMPACTED_AFTER", 2)


def test_every_quad_arrives_and_many_batches_are_compacted(store, small_batches, monkeypatch):
    compacted = []
    monkeypatch.setattr(ox.Store, "optimize", lambda db: compacted.append(named_quads(db)))
    target = EmbeddedStore(store)
    try:
        assert target.rebuild([lines(0, 10), lines(10, 10), lines(5, 10)]) == 20  # a repeated line is one quad
        assert named_quads(target.db) == 20 and target.graphs() == {"urn:g0", "urn:g1", "urn:g2"}
    finally:
        target.close()
    assert compacted == [20]


def test_a_bad_batch_leaves_the_store_as_it_was(store, small_batches):
    target = EmbeddedStore(store)
    try:
        target.rebuild([lines(0, 5)])
        with pytest.raises(StoreError, match="nothing was changed"):
            target.rebuild([lines(0, 10), "<urn:s> <urn:p> not rdf .\n", lines(10, 10)])
        assert named_quads(target.db) == 5
    finally:
        target.close()


def test_an_error_of_the_input_is_raised_as_it_is(store, small_batches):
    def chunks():
        yield lines(0, 10)
        raise InputError("bad.py: cannot read it")

    target = EmbeddedStore(store)
    try:
        target.rebuild([lines(0, 5)])
        with pytest.raises(InputError, match="bad.py"):
            target.rebuild(chunks())
        assert named_quads(target.db) == 5
    finally:
        target.close()


def test_a_scratch_store_in_memory_is_rebuilt_in_batches_too(small_batches):
    target = EmbeddedStore(":memory:")
    assert target.rebuilds({"urn:g0"})
    assert target.rebuild([lines(0, 30)]) == 30 and named_quads(target.db) == 30
