// Hookrelay webhook receiver, "axle" format (X-Signature header) — Node.js + Express.
// npm install express   then   WEBHOOK_SECRET=whsec_... PORT=3000 node server.js
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const express = require('express');

const SECRET = process.env.WEBHOOK_SECRET; // the endpoint's signing secret, "whsec_..." (the whole string is the key)
if (!SECRET) throw new Error('Set WEBHOOK_SECRET to the signing secret (whsec_...)');

// True when the x-signature header is the hex HMAC-SHA256(SECRET) of the raw body.
function verify(rawBody, signature) {
  if (typeof signature !== 'string') return false;
  const expected = Buffer.from(crypto.createHmac('sha256', SECRET).update(rawBody).digest('hex'));
  const received = Buffer.from(signature);
  return received.length === expected.length && crypto.timingSafeEqual(received, expected);
}

const app = express();

// express.raw keeps the body as the exact bytes that were signed; never verify re-serialized JSON.
app.post('/webhook', express.raw({ type: 'application/json', limit: '512kb' }), (req, res) => {
  if (!Buffer.isBuffer(req.body) || !verify(req.body, req.headers['x-signature'])) {
    return res.status(401).json({ error: 'invalid signature' });
  }
  const event = JSON.parse(req.body.toString('utf8'));
  // Deliveries are at least once: skip a webhook-id header you have already processed.
  console.log('received', req.headers['webhook-id'], event.event_type);
  res.json({ ok: true });
});

// HTTPS when given a certificate; otherwise plain HTTP behind your TLS-terminating proxy.
const { TLS_CERT_FILE, TLS_KEY_FILE, PORT = '3000', HOST } = process.env;
const server = TLS_CERT_FILE && TLS_KEY_FILE
  ? https.createServer({ cert: fs.readFileSync(TLS_CERT_FILE), key: fs.readFileSync(TLS_KEY_FILE) }, app)
  : http.createServer(app);
server.listen(Number(PORT), HOST, () => console.log(`Listening on port ${server.address().port}`));
