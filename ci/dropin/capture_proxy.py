#!/usr/bin/env python3
"""A recording HTTP proxy for ci/codex-dropin.sh: forwards every request to the upstream base URL given as the first
argument, streams the answer back unchanged (SSE included), and writes each request body to DIR/NNN.json (the second
argument). Prints {"port": N} once it listens on a free loopback port. HTTP only: the script runs its clients over
HTTP so that every body passes here."""
import http.server
import itertools
import json
import os
import sys
import threading
import urllib.error
import urllib.request

UPSTREAM = sys.argv[1].rstrip("/")
OUT = sys.argv[2]
COUNTER = itertools.count(1)
LOCK = threading.Lock()


class Proxy(http.server.BaseHTTPRequestHandler):
    def _forward(self, body):
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        req = urllib.request.Request(UPSTREAM + self.path, data=body, headers=headers, method=self.command)
        try:
            resp = urllib.request.urlopen(req, timeout=60)
        except urllib.error.HTTPError as e:
            resp = e
        self.send_response(resp.status)
        for k, v in resp.headers.items():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Connection", "close")
        self.end_headers()
        while True:
            chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
            if not chunk:
                break
            self.wfile.write(chunk)
            self.wfile.flush()
        self.close_connection = True

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with LOCK:
            n = next(COUNTER)
        with open(os.path.join(OUT, "%03d.json" % n), "wb") as f:
            f.write(body)
        self._forward(body)

    def do_GET(self):
        self._forward(None)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
print(json.dumps({"port": server.server_address[1]}), flush=True)
server.serve_forever()
