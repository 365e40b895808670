# Seed 002 (Axle docs) Python verification function, verbatim, inside a standard-library
# http.server with TLS instead of FastAPI. Test harness: WEBHOOK_SECRET/PORT/HOST/TLS_* from env.
import json
import os
import ssl
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# ---- verbatim from the seed ----
import hmac
import hashlib

# Load this securely in production
WEBHOOK_SECRET = os.environ["WEBHOOK_SECRET"]  # adapted: was "your_webhook_secret"

def verify_signature(payload: bytes, signature: str, secret: str) -> bool:
    """Verify webhook signature"""
    computed = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature, computed)
# ---- end of seed ----


class Handler(BaseHTTPRequestHandler):
    # Mirrors the seed's FastAPI route: 400 without X-Signature, 401 when it does not verify.
    def do_POST(self):
        if self.path != "/webhook":
            return self.reply(404, {"detail": "Not found"})
        payload = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        signature = self.headers.get("X-Signature")
        if not signature:
            return self.reply(400, {"detail": "Missing signature"})
        if not verify_signature(payload, signature, WEBHOOK_SECRET):
            return self.reply(401, {"detail": "Invalid signature"})
        json.loads(payload)
        self.reply(200, {"status": "success"})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer((os.environ.get("HOST", ""), int(os.environ["PORT"])), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.environ["TLS_CERT_FILE"], os.environ["TLS_KEY_FILE"])
server.socket = context.wrap_socket(server.socket, server_side=True)
print(f"Listening on port {server.server_address[1]}", flush=True)
server.serve_forever()
