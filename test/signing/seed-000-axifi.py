# Seed 000 (AXIFI docs) Python verification function, verbatim, inside a standard-library
# http.server with TLS instead of Flask. Test harness: WEBHOOK_SECRET/PORT/HOST/TLS_* from env.
import json
import os
import ssl
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# ---- verbatim from the seed ----
import hmac
import hashlib
def verify_webhook_signature(payload, signature, secret):
    expected_signature = 'sha256=' + hmac.new(
        secret.encode(),
        payload,
        hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(signature, expected_signature)
# ---- end of seed ----


class Handler(BaseHTTPRequestHandler):
    # Mirrors the seed's Flask route: signature from X-Webhook-Signature, payload = request.get_data().
    def do_POST(self):
        if self.path != "/webhooks/axifi":
            return self.reply(404, {"error": "Not found"})
        payload = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        signature = self.headers.get("X-Webhook-Signature")
        if not verify_webhook_signature(payload, signature, os.environ["WEBHOOK_SECRET"]):
            return self.reply(401, {"error": "Unauthorized"})
        self.reply(200, {"ok": True})

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
