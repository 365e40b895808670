"""Hookrelay webhook receiver, Standard Webhooks format - Python standard library only.

Run: WEBHOOK_SECRET=whsec_... PORT=3000 python3 receiver.py
"""
import base64
import hashlib
import hmac
import json
import os
import ssl
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ["WEBHOOK_SECRET"]  # the endpoint's signing secret, "whsec_..."
KEY = base64.b64decode(SECRET.removeprefix("whsec_"))
TOLERANCE_SECONDS = 5 * 60
MAX_BODY_BYTES = 512 * 1024


def verify(body: bytes, headers) -> bool:
    """True when one of the space-separated "v1,<base64>" signatures is HMAC-SHA256(KEY, "{id}.{timestamp}.{body}")."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not msg_id or not signatures or not timestamp or not (timestamp.isascii() and timestamp.isdigit()):
        return False
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:  # refuse replays
        return False
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(KEY, signed, hashlib.sha256).digest())
    for entry in signatures.split(" "):
        version, _, signature = entry.partition(",")
        if version == "v1" and hmac.compare_digest(signature.encode(), expected):
            return True
    return False


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        if self.path != "/webhook":
            return self.reply(404, {"error": "not found"})
        length = self.headers.get("Content-Length", "")
        if not length.isdecimal() or int(length) > MAX_BODY_BYTES:
            return self.reply(400, {"error": "a body of at most 512 KiB with Content-Length is required"})
        body = self.rfile.read(int(length))  # the raw bytes that were signed; never verify re-serialized JSON
        if not verify(body, self.headers):
            return self.reply(401, {"error": "invalid signature"})
        event = json.loads(body)
        # Deliveries are at least once: skip a webhook-id you have already processed.
        print("received", self.headers.get("webhook-id"), event["type"], flush=True)
        self.reply(200, {"ok": True})

    def reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer((os.environ.get("HOST", ""), int(os.environ.get("PORT", "3000"))), Handler)
if os.environ.get("TLS_CERT_FILE"):  # HTTPS when given a certificate; otherwise plain HTTP behind your TLS proxy
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.environ["TLS_CERT_FILE"], os.environ["TLS_KEY_FILE"])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print(f"Listening on port {server.server_address[1]}", flush=True)
server.serve_forever()
