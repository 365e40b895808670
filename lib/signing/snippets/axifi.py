"""Hookrelay webhook receiver, "axifi" format (X-Webhook-Signature header) - Python standard library only.

Run: WEBHOOK_SECRET=whsec_... PORT=3000 python3 receiver.py
"""
import hashlib
import hmac
import json
import os
import ssl
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ["WEBHOOK_SECRET"]  # the endpoint's signing secret, "whsec_..." (the whole string is the key)
MAX_BODY_BYTES = 512 * 1024


def verify(body: bytes, signature) -> bool:
    """True when the X-Webhook-Signature header is "sha256=" + hex HMAC-SHA256(SECRET) of the raw body."""
    if not signature:
        return False
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature.encode(), expected.encode())


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        if self.path != "/webhook":
            return self.reply(404, {"error": "not found"})
        length = self.headers.get("Content-Length", "")
        if not length.isdecimal() or int(length) > MAX_BODY_BYTES:
            return self.reply(400, {"error": "a body of at most 512 KiB with Content-Length is required"})
        body = self.rfile.read(int(length))  # the raw bytes that were signed; never verify re-serialized JSON
        if not verify(body, self.headers.get("X-Webhook-Signature")):
            return self.reply(401, {"error": "invalid signature"})
        event = json.loads(body)
        # Deliveries are at least once: skip a webhook-id header you have already processed.
        print("received", self.headers.get("webhook-id"), event["event"], flush=True)
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
