# A webhook receiver as a user would write one, verifying with the recipe of docs/watch.md (kept in step
# by the test): 204 for a valid signature, 401 otherwise; one JSON line per POST on stdout.
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = os.environ["PORTCULLIS_WEBHOOK_SECRET"].encode()


def verify(secret: bytes, headers, body: bytes, tolerance=300) -> bool:
    ts = headers["X-Portcullis-Timestamp"]
    expected = "sha256=" + hmac.new(secret, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(ts)) <= tolerance
    return fresh and hmac.compare_digest(expected, headers["X-Portcullis-Signature"])


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        ok = verify(SECRET, self.headers, body)
        print(json.dumps({"verified": ok, "alert": json.loads(body)}), flush=True)
        self.send_response(204 if ok else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
