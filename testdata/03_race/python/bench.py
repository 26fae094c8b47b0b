"""The letter count of seed 004 in Python, beside chapter 03's Go benchmarks.

The input is the chapter's corpus, testdata/03_race/rfc1000.txt to rfc1019.txt: the
twenty documents the seed fetched, read from disk (no network, like the Go benchmarks).
Each op counts the letters of all twenty:

  BenchmarkPythonCount/impl=loop                 the seed's loop, one document after another,
                                                 into one dict (Go: BenchmarkTableAdd)
  BenchmarkPythonCount/impl=threads/workers=N    N threads, the documents dealt among them,
                                                 each thread its own dict, merged after join
  BenchmarkPythonCount/impl=processes/workers=N  a multiprocessing.Pool of N processes, one
                                                 dict a document sent back and merged; the
                                                 pool's start is part of the op

The seed read str(response.read()), the repr of the bytes, so every "\\n" added an n to
the count; here each byte is one character (latin-1), as in Go's Table.Add, and the
counts must equal testdata/03_race/counts.json.
"""

import json
import multiprocessing
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import peer  # noqa: E402  (testdata/python/peer.py)

# The seed's table, in the seed's order.
LETTERS = "abcdefghijklmnopqrstuvxzwy"


def count_letters(content, frequency_table):
    """The seed's loop, without the fetch."""
    for item in content:
        if item.lower() in frequency_table:
            frequency_table[item.lower()] += 1


def new_table():
    return {letter: 0 for letter in LETTERS}


def count_doc(content):
    """One document into a table of its own: the job of a pool's process."""
    table = new_table()
    count_letters(content, table)
    return table


def merge(tables):
    total = new_table()
    for t in tables:
        for letter, n in t.items():
            total[letter] += n
    return total


def load_docs():
    docs = []
    for n in range(1000, 1020):
        with open(os.path.join(HERE, "..", f"rfc{n}.txt"), "rb") as f:
            docs.append(f.read().decode("latin-1"))
    return docs


def loop(docs):
    table = new_table()
    for content in docs:
        count_letters(content, table)
    return table


def threads(docs, workers):
    return merge(peer.run_threads(workers, [lambda d=d: count_doc(d) for d in docs]))


def processes(docs, workers):
    with multiprocessing.Pool(workers) as pool:
        return merge(pool.map(count_doc, docs))


def main():
    docs = load_docs()
    size = sum(len(d) for d in docs)

    def check(workers):
        with open(os.path.join(HERE, "..", "counts.json")) as f:
            want = json.load(f)["total"]
        for name, count in [("impl=loop", lambda: loop(docs)),
                            ("impl=threads", lambda: threads(docs, max(workers))),
                            ("impl=processes", lambda: processes(docs, max(workers)))]:
            got = count()
            if got != want:
                diff = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
                raise peer.Failure("BenchmarkPythonCount/" + name,
                                   f"counts differ from counts.json (letter: (got, want)): {diff}")

    def benchmarks(workers):
        yield peer.Bench("BenchmarkPythonCount/impl=loop", lambda: loop(docs), bytes=size)
        for w in workers:
            yield peer.Bench(f"BenchmarkPythonCount/impl=threads/workers={w}", lambda w=w: threads(docs, w), bytes=size)
        for w in workers:
            yield peer.Bench(f"BenchmarkPythonCount/impl=processes/workers={w}", lambda w=w: processes(docs, w), bytes=size)

    peer.main(benchmarks, check)


if __name__ == "__main__":  # the seed's guard: a spawned process imports this file again
    main()
