"""Thread start and join of seeds 000 and 004 in Python, beside chapter 01's Go benchmarks.

  BenchmarkPythonStartJoin/impl=call          f() called directly: the baseline
  BenchmarkPythonStartJoin/impl=thread        Thread(target=f).start(), then join(): one
                                              thread started and waited for an op
                                              (Go: BenchmarkStartJoin/impl=task)
  BenchmarkPythonLoadAll/impl=serial/loads=100
  BenchmarkPythonLoadAll/impl=threads/loads=100
                                              100 loads that do nothing, called one after
                                              another, or one thread each, all started and
                                              then all joined, as seed 000 loads its images;
                                              ns/load is the time of an op divided by 100
                                              (Go: BenchmarkLoadAll)

Go's loads=100000 has no peer here: 100,000 threads at once exceed what many systems
allow a process (each has a stack of its own, 8 MiB of address space by default on
Linux).
"""

import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import peer  # noqa: E402  (testdata/python/peer.py)

LOADS = 100


def f():
    pass


def start_join():
    t = threading.Thread(target=f)
    t.start()
    t.join()


def load_serial(names, load):
    for name in names:
        load(name)


def load_threads(names, load):
    threads = [threading.Thread(target=load, args=(name,)) for name in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main():
    names = [f"image{i:03d}.jpg" for i in range(LOADS)]

    def check(workers):
        seen = []
        lock = threading.Lock()

        def load(name):
            with lock:
                seen.append(name)

        load_threads(names, load)
        if sorted(seen) != names:
            raise peer.Failure(f"BenchmarkPythonLoadAll/impl=threads/loads={LOADS}", "a load ran twice or not at all")

    def benchmarks(workers):
        yield peer.Bench("BenchmarkPythonStartJoin/impl=call", f)
        yield peer.Bench("BenchmarkPythonStartJoin/impl=thread", start_join)

        def load(name):
            pass

        yield peer.Bench(f"BenchmarkPythonLoadAll/impl=serial/loads={LOADS}", lambda: load_serial(names, load),
                         per=(LOADS, "load"))
        yield peer.Bench(f"BenchmarkPythonLoadAll/impl=threads/loads={LOADS}", lambda: load_threads(names, load),
                         per=(LOADS, "load"))

    peer.main(benchmarks, check)


if __name__ == "__main__":
    main()
