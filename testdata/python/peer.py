"""Peer runs the Python benchmarks of a chapter's Python peer and prints them the way
`go test -bench` prints Go's, so that `go run ./cmd/workbook bench` reads both alike.

A peer (testdata/NN_topic/python/bench.py) is a plain script that imports this module
and calls main with a function that yields its benchmarks for the worker counts asked
for. Standard library only. Run one by hand from the repository's root:

    python3 -B testdata/03_race/python/bench.py -bench . -benchtime 200ms -workers 1,2

Flags, as go test's: -bench (a regular expression per level of the name, split at "/"),
-benchtime (a duration like 200ms or 1s, or a count like 5x), -workers (the worker
counts, like -cpu), -list (print the names and stop). Every benchmark name begins with
BenchmarkPython, so that it can never be mistaken for one of Go's.

Each result is one line: the name, how many ops ran, then value-unit pairs:

    BenchmarkPythonCount/impl=loop	1	273311442 ns/op	1.84 MB/s

A first line "python: ..." names the interpreter and the multiprocessing start method.
A peer checks its own results against the chapter's golden files before it measures
anything; a wrong result prints "--- FAIL: <name>" and the script exits with status 1.
"""

import argparse
import multiprocessing
import platform
import re
import sys
import threading
import time


class Bench:
    """One benchmark: op does one op; the rest says what an op is worth.

    bytes: bytes one op processes (adds MB/s). per: (count, unit), like (10_000, "item"),
    adds ns/<unit>: the time of an op divided by count. warmup: run one op, untimed,
    before measuring (a forkserver's server starts on the first op, once).
    """

    def __init__(self, name, op, bytes=0, per=None, warmup=False):
        if not name.startswith("BenchmarkPython"):
            raise ValueError(f"{name}: a peer's benchmark name begins with BenchmarkPython")
        self.name, self.op, self.bytes, self.per, self.warmup = name, op, bytes, per, warmup


class Failure(Exception):
    """A peer's result is wrong: main prints it as a failed benchmark."""

    def __init__(self, name, message):
        super().__init__(message)
        self.name = name


def run_threads(workers, jobs):
    """Runs the jobs (functions without arguments) on `workers` threads, dealt round
    robin, and returns their results in job order once every thread has ended."""
    results = [None] * len(jobs)

    def worker(k):
        for i in range(k, len(jobs), workers):
            results[i] = jobs[i]()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(min(workers, len(jobs)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _duration(s):
    """Parses a go test -benchtime: "200ms", "1.5s", "2m" or a count "5x"."""
    m = re.fullmatch(r"(\d+)x", s)
    if m:
        return None, int(m.group(1))
    m = re.fullmatch(r"(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m)", s)
    if not m:
        raise argparse.ArgumentTypeError(f"-benchtime {s!r}: want a duration like 200ms or a count like 5x")
    scale = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[m.group(2)]
    return float(m.group(1)) * scale, None


def _matches(pattern, name):
    """Reports whether a -bench pattern selects name, level by level as go test does."""
    levels = name.split("/")
    parts = pattern.split("/")
    for part, level in zip(parts, levels):
        if part and not re.search(part, level):
            return False
    return True


def _measure(op, seconds, count):
    """Runs op until it has run for at least `seconds` (or `count` times) and returns the
    number of ops and the time they took, like testing.B."""
    def run(n):
        start = time.perf_counter()
        for _ in range(n):
            op()
        return time.perf_counter() - start

    if count is not None:
        return count, run(count)
    n = 1
    while True:
        took = run(n)
        if took >= seconds or n >= 1_000_000_000:
            return n, took
        per = max(took / n, 1e-9)
        n = max(n + 1, min(100 * n, int(seconds / per * 1.2)))


def _format(b, n, took):
    ns = took * 1e9 / n
    fields = [b.name, str(n), f"{ns:.0f} ns/op"]
    if b.bytes:
        fields.append(f"{b.bytes / (took / n) / 1e6:.2f} MB/s")
    if b.per:
        count, unit = b.per
        fields.append(f"{ns / count:.1f} ns/{unit}")
    return "\t".join(fields)


def main(benchmarks, check=None):
    """Parses the flags, checks the peer's results with check(workers) (which raises
    Failure when one is wrong) and runs the benchmarks that benchmarks(workers) yields
    and -bench selects, printing one line each."""
    p = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__)
    p.add_argument("-bench", default=".", help="regular expression per level of the names")
    p.add_argument("-benchtime", default=_duration("200ms"), type=_duration, help="like 200ms or 5x")
    p.add_argument("-workers", default="1,2", help="worker counts, like 1,2,4")
    p.add_argument("-list", action="store_true", help="print the names and stop")
    args = p.parse_args()
    try:
        workers = [int(w) for w in args.workers.split(",")]
        if any(w < 1 for w in workers):
            raise ValueError
    except ValueError:
        p.error(f"-workers {args.workers!r}: want counts like 1,2,4")
    chosen = [b for b in benchmarks(workers) if _matches(args.bench, b.name)]
    if args.list:
        for b in chosen:
            print(b.name)
        return
    print(f"python: {platform.python_implementation()} {platform.python_version()}, "
          f"multiprocessing start method {multiprocessing.get_start_method()}, {multiprocessing.cpu_count()} CPUs",
          flush=True)
    if not chosen:
        return
    seconds, count = args.benchtime
    try:
        if check is not None:
            check(workers)
        for b in chosen:
            if b.warmup:
                b.op()
            n, took = _measure(b.op, seconds, count)
            print(_format(b, n, took), flush=True)
    except Failure as f:
        print(f"--- FAIL: {f.name}\n    {f}", flush=True)
        sys.exit(1)
