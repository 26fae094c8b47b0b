"""The sha256 demo of seed 003 in Python, beside chapter 09's Go benchmarks.

  BenchmarkPythonSeed/impl=threads/workers=N     the seed's program: two jobs of
                                                 sha256(b'Bla bla' * 100_000_000), 2 x 700 MB,
                                                 on N threads (Go: BenchmarkSeed/threads=N)
  BenchmarkPythonSeed/impl=processes/workers=N   the same two jobs in a multiprocessing.Pool
                                                 of N processes; the pool's start is part of
                                                 the op
  BenchmarkPythonHashAll/impl=threads/workers=N  16 inputs of 1 MiB (input i is 1 MiB of byte
                                                 i) hashed on N threads (Go: BenchmarkHashAll)
  BenchmarkPythonHashAll/impl=processes/workers=N
                                                 the same in a Pool of N processes, each input
                                                 pickled through a pipe to its process

The seed wrote sha256('Bla bla' * 100_000_000), a TypeError in Python 3 (sha256 takes
bytes); the bytes literal is what it meant. Each job first builds its 700 MB, which holds
the GIL, then hashes them: hashlib lets go of the GIL while it hashes a buffer of more
than 2 KiB, so threads overlap the hashing and queue for the building. The peer checks
its digests against testdata/09_hashing/golden.json before it measures.
"""

import hashlib
import json
import multiprocessing
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import peer  # noqa: E402  (testdata/python/peer.py)

PATTERN, REPEATS = b"Bla bla", 100_000_000
JOBS = 2
INPUTS, INPUT_SIZE = 16, 1 << 20


def boil_eggs(n=REPEATS):
    """One job of the seed: build the bytes, then hash them."""
    return hashlib.sha256(PATTERN * n).hexdigest()


def digest(data):
    return hashlib.sha256(data).digest()


def seed_threads(workers):
    return peer.run_threads(workers, [boil_eggs] * JOBS)


def seed_processes(workers):
    with multiprocessing.Pool(workers) as pool:
        return pool.map(boil_eggs, [REPEATS] * JOBS)


def hash_threads(inputs, workers):
    return peer.run_threads(workers, [lambda d=d: digest(d) for d in inputs])


def hash_processes(inputs, workers):
    with multiprocessing.Pool(workers) as pool:
        return pool.map(digest, inputs)


def main():
    inputs = [bytes([i]) * INPUT_SIZE for i in range(INPUTS)]

    def check(workers):
        with open(os.path.join(HERE, "..", "golden.json")) as f:
            golden = json.load(f)
        tenth = next(r for r in golden["repeats"] if r["name"] == "seed_tenth")
        if boil_eggs(tenth["n"]) != tenth["digest"]:
            raise peer.Failure("BenchmarkPythonSeed", "the digest of b'Bla bla' * 10_000_000 differs from golden.json")
        want = [hashlib.sha256(d).digest() for d in inputs]
        if hash_threads(inputs, max(workers)) != want or hash_processes(inputs, max(workers)) != want:
            raise peer.Failure("BenchmarkPythonHashAll", "digests out of order or wrong")

    def benchmarks(workers):
        seed_bytes = JOBS * len(PATTERN) * REPEATS
        for w in workers:
            yield peer.Bench(f"BenchmarkPythonSeed/impl=threads/workers={w}", lambda w=w: seed_threads(w), bytes=seed_bytes)
        for w in workers:
            yield peer.Bench(f"BenchmarkPythonSeed/impl=processes/workers={w}", lambda w=w: seed_processes(w),
                             bytes=seed_bytes)
        for w in workers:
            yield peer.Bench(f"BenchmarkPythonHashAll/impl=threads/workers={w}", lambda w=w: hash_threads(inputs, w),
                             bytes=INPUTS * INPUT_SIZE)
        for w in workers:
            yield peer.Bench(f"BenchmarkPythonHashAll/impl=processes/workers={w}",
                             lambda w=w: hash_processes(inputs, w), bytes=INPUTS * INPUT_SIZE)

    peer.main(benchmarks, check)


if __name__ == "__main__":  # the seed's guard: a spawned process imports this file again
    main()
