"""Chapter 13's server in Python: the two endpoints of BenchmarkServe on the standard
library's ThreadingHTTPServer, a thread per connection, under the GIL.

  /io?key=K    waits LATENCY seconds (the backend's I/O), then answers "value of K"
  /hash?n=N    answers the hex SHA-256 of b"Bla bla" * N (seed 003's work, made smaller)

Usage: python3 server.py LATENCY. It listens on a free port of 127.0.0.1, prints the port
on a line of its own, then serves until it is killed. BenchmarkServe/server=python starts
it, sends it the same requests as the Go servers and kills it; the benchmark runs it only
when WORKBOOK_BENCH_PYTHON names a Python interpreter, which `go run ./cmd/workbook bench`
sets when it finds python3 (make check does not).
"""

import hashlib
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

LATENCY = float(sys.argv[1])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the Go server
    disable_nagle_algorithm = True  # headers and body go in two writes

    def do_GET(self):
        url = urlparse(self.path)
        q = parse_qs(url.query)
        if url.path == "/io":
            time.sleep(LATENCY)
            body = ("value of " + q.get("key", [""])[0]).encode()
        elif url.path == "/hash":
            body = hashlib.sha256(b"Bla bla" * int(q["n"][0])).hexdigest().encode()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 drops connections under load


srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
