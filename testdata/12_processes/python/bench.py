"""Process start of seeds 001, 002 and 004 in Python, beside chapter 12's Go benchmarks.

  BenchmarkPythonStart/impl=thread            Thread(target=f).start(), then join()
  BenchmarkPythonStart/impl=process/method=M  multiprocessing.Process(target=f).start(), then
                                              join(), with the start method M (fork, spawn,
                                              forkserver: those this system has); the seed
                                              uses spawn (Go: BenchmarkStart/impl=process);
                                              one start, untimed, comes first: the
                                              forkserver's server starts then
  BenchmarkPythonHash/impl=threads/n=N        32 MiB (byte i is i*7 % 251, Go's hashData)
                                              split into N parts (views, not copies), hashed
                                              on N threads
  BenchmarkPythonHash/impl=processes/n=N      the same parts in a multiprocessing.Pool of N
                                              processes, each part pickled through a pipe;
                                              the pool's start is part of the op
                                              (Go: BenchmarkHash)

hashlib lets go of the GIL while it hashes a large buffer, so the threads hash in
parallel here, unlike pure Python code. The peer checks its digests before it measures.
"""

import hashlib
import multiprocessing
import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import peer  # noqa: E402  (testdata/python/peer.py)

SIZE = 32 << 20


def f():
    pass


def start_thread():
    t = threading.Thread(target=f)
    t.start()
    t.join()


def start_process(ctx):
    p = ctx.Process(target=f)
    p.start()
    p.join()


def parts(data, n):
    return [data[i * len(data) // n:(i + 1) * len(data) // n] for i in range(n)]


def digest(part):
    return hashlib.sha256(part).digest()


def hash_threads(data, n):
    # Views, not slices: a slice of bytes is a copy, made under the GIL.
    return peer.run_threads(n, [lambda p=p: digest(p) for p in parts(memoryview(data), n)])


def hash_processes(data, n):
    with multiprocessing.Pool(n) as pool:
        return pool.map(digest, parts(data, n))


def main():
    data = bytes(i * 7 % 251 for i in range(251)) * (SIZE // 251 + 1)
    data = data[:SIZE]

    def check(workers):
        for n in sorted({1, max(workers)}):
            want = [hashlib.sha256(p).digest() for p in parts(data, n)]
            if hash_threads(data, n) != want or hash_processes(data, n) != want:
                raise peer.Failure(f"BenchmarkPythonHash/n={n}", "digests out of order or wrong")

    def benchmarks(workers):
        yield peer.Bench("BenchmarkPythonStart/impl=thread", start_thread, warmup=True)
        for method in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context(method)
            yield peer.Bench(f"BenchmarkPythonStart/impl=process/method={method}", lambda ctx=ctx: start_process(ctx),
                             warmup=True)
        for n in workers:
            yield peer.Bench(f"BenchmarkPythonHash/impl=threads/n={n}", lambda n=n: hash_threads(data, n), bytes=SIZE)
        for n in workers:
            yield peer.Bench(f"BenchmarkPythonHash/impl=processes/n={n}", lambda n=n: hash_processes(data, n), bytes=SIZE)

    peer.main(benchmarks, check)


if __name__ == "__main__":  # the seed's guard: spawn and forkserver import this file again
    main()
