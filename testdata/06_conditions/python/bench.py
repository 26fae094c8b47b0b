"""The bounded buffer of seed 002 in Python, beside chapter 06's Go benchmarks.

One op moves 10,000 ints through a buffer of 64 slots, from `pairs` producers to as many
consumers (Go: BenchmarkTransfer); ns/item is the time of an op divided by 10,000.

  BenchmarkPythonTransfer/buffer=queue/pairs=N   queue.Queue(64), N producer and N consumer
                                                 threads, one None a consumer to end it
  BenchmarkPythonTransfer/buffer=cond/pairs=N    the seed's way: a list guarded by a
                                                 threading.Condition, wait() in a while loop,
                                                 notify_all() on every change, close()
  BenchmarkPythonTransfer/buffer=processes/pairs=N
                                                 multiprocessing.Queue(64), N producer and N
                                                 consumer processes, started in the op; each
                                                 item is pickled through a pipe
  BenchmarkPythonSerial/buffer=queue, buffer=cond
                                                 one thread fills the buffer and empties it
                                                 again: the cost of the locking alone
                                                 (Go: BenchmarkSerial)

Before it measures, the peer checks that each buffer delivers every item exactly once.
"""

import multiprocessing
import os
import queue
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import peer  # noqa: E402  (testdata/python/peer.py)

ITEMS, CAPACITY = 10_000, 64


class Closed(Exception):
    pass


class CondBuffer:
    """A bounded buffer on a Condition, as the seed writes it: wait() in a while loop."""

    def __init__(self, capacity):
        self.items, self.capacity, self.closed = [], capacity, False
        self.cond = threading.Condition()

    def put(self, v):
        with self.cond:
            while len(self.items) == self.capacity and not self.closed:
                self.cond.wait()
            if self.closed:
                raise Closed
            self.items.append(v)
            self.cond.notify_all()

    def get(self):
        """Returns (item, True), or (None, False) once closed and drained."""
        with self.cond:
            while not self.items and not self.closed:
                self.cond.wait()
            if not self.items:
                return None, False
            v = self.items.pop(0)
            self.cond.notify_all()
            return v, True

    def close(self):
        with self.cond:
            self.closed = True
            self.cond.notify_all()


def produce(put, p, pairs, items):
    for i in range(p, items, pairs):
        put(i)


def consume_queue(q, sums, k):
    total = 0
    while True:
        v = q.get()
        if v is None:
            break
        total += v
    sums[k] = total


def transfer_queue(pairs, items=ITEMS):
    q = queue.Queue(CAPACITY)
    sums = [0] * pairs
    consumers = [threading.Thread(target=consume_queue, args=(q, sums, k)) for k in range(pairs)]
    producers = [threading.Thread(target=produce, args=(q.put, p, pairs, items)) for p in range(pairs)]
    for t in consumers + producers:
        t.start()
    for t in producers:
        t.join()
    for _ in consumers:
        q.put(None)
    for t in consumers:
        t.join()
    return sum(sums)


def consume_cond(b, sums, k):
    total = 0
    while True:
        v, ok = b.get()
        if not ok:
            break
        total += v
    sums[k] = total


def transfer_cond(pairs, items=ITEMS):
    b = CondBuffer(CAPACITY)
    sums = [0] * pairs
    consumers = [threading.Thread(target=consume_cond, args=(b, sums, k)) for k in range(pairs)]
    producers = [threading.Thread(target=produce, args=(b.put, p, pairs, items)) for p in range(pairs)]
    for t in consumers + producers:
        t.start()
    for t in producers:
        t.join()
    b.close()
    for t in consumers:
        t.join()
    return sum(sums)


def produce_process(q, p, pairs, items):
    produce(q.put, p, pairs, items)


def consume_process(q, results):
    total = 0
    while True:
        v = q.get()
        if v is None:
            break
        total += v
    results.put(total)


def transfer_processes(pairs, items=ITEMS):
    q, results = multiprocessing.Queue(CAPACITY), multiprocessing.Queue()
    consumers = [multiprocessing.Process(target=consume_process, args=(q, results)) for _ in range(pairs)]
    producers = [multiprocessing.Process(target=produce_process, args=(q, p, pairs, items)) for p in range(pairs)]
    for p in consumers + producers:
        p.start()
    for p in producers:
        p.join()
    for _ in consumers:
        q.put(None)
    total = sum(results.get() for _ in consumers)
    for p in consumers:
        p.join()
    return total


def serial_queue():
    q = queue.Queue(CAPACITY)
    for _ in range(0, ITEMS, CAPACITY):
        for j in range(CAPACITY):
            q.put(j)
        for _ in range(CAPACITY):
            q.get()


def serial_cond():
    b = CondBuffer(CAPACITY)
    for _ in range(0, ITEMS, CAPACITY):
        for j in range(CAPACITY):
            b.put(j)
        for _ in range(CAPACITY):
            b.get()
    b.close()


def main():
    def check(workers):
        want = ITEMS * (ITEMS - 1) // 2
        for name, transfer in [("queue", transfer_queue), ("cond", transfer_cond), ("processes", transfer_processes)]:
            for pairs in sorted({1, max(workers)}):
                got = transfer(pairs)
                if got != want:
                    raise peer.Failure(f"BenchmarkPythonTransfer/buffer={name}/pairs={pairs}",
                                       f"the consumers received items summing to {got}, want {want}: lost or duplicated items")

    def benchmarks(workers):
        for name, transfer in [("queue", transfer_queue), ("cond", transfer_cond), ("processes", transfer_processes)]:
            for w in workers:
                yield peer.Bench(f"BenchmarkPythonTransfer/buffer={name}/pairs={w}", lambda t=transfer, w=w: t(w),
                                 per=(ITEMS, "item"))
        yield peer.Bench("BenchmarkPythonSerial/buffer=queue", serial_queue, per=(ITEMS, "item"))
        yield peer.Bench("BenchmarkPythonSerial/buffer=cond", serial_cond, per=(ITEMS, "item"))

    peer.main(benchmarks, check)


if __name__ == "__main__":  # the seed's guard: a spawned process imports this file again
    main()
