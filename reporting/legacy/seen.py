"""A compact record of the strings a check has already met (references, young people's keys), so that
checking a file keeps a few bytes per row rather than the rows: each string is kept as a 64-bit digest
(BLAKE2b) with one number (a line), in two flat arrays (open addressing): 12 bytes a slot, two to
four slots a string (24 to 48 bytes), against a hundred or more for a Python dict of strings or ints.

Two different strings share a digest with a probability of about n² / 2⁶⁵ (3 × 10⁻¹⁰ for the
100,000 rows an import may have at most): negligible, and the check says so nowhere else."""
import hashlib
from array import array


def digest(text):
    """The 64-bit digest of a string (never 0: 0 marks an empty slot)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big") or 1


class Seen:
    """digest → a number (0 or more), ``get`` giving None for a digest never put."""

    def __init__(self, capacity=1024):
        self.count = 0
        self._allocate(capacity)

    def _allocate(self, capacity):
        self._digests = array("Q", bytes(8 * capacity))
        self._values = array("i", bytes(4 * capacity))
        self._mask = capacity - 1

    def _slot(self, key):
        digests, mask = self._digests, self._mask
        index = key & mask
        while True:
            found = digests[index]
            if found == key or found == 0:
                return index
            index = (index + 1) & mask

    def __contains__(self, key):
        return self._digests[self._slot(key)] != 0

    def __len__(self):
        return self.count

    def get(self, key):
        index = self._slot(key)
        return self._values[index] if self._digests[index] else None

    def put(self, key, value):
        index = self._slot(key)
        if not self._digests[index]:
            if (self.count + 1) * 2 > len(self._digests):
                self._grow()
                index = self._slot(key)
            self._digests[index] = key
            self.count += 1
        self._values[index] = value

    def _grow(self):
        digests, values = self._digests, self._values
        self._allocate(len(digests) * 2)
        for key, value in zip(digests, values):
            if key:
                index = self._slot(key)
                self._digests[index] = key
                self._values[index] = value
