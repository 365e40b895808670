// Hookrelay webhook receiver, Standard Webhooks format — Node.js + Express.
// npm install express   then   WEBHOOK_SECRET=whsec_... PORT=3000 node server.js
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const express = require('express');

const SECRET = process.env.WEBHOOK_SECRET; // the endpoint's signing secret, "whsec_..."
if (!SECRET || !SECRET.startsWith('whsec_')) throw new Error('Set WEBHOOK_SECRET to the signing secret (whsec_...)');
const KEY = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
const TOLERANCE_SECONDS = 5 * 60;

// True when one of the space-separated "v1,<base64>" signatures is HMAC-SHA256(KEY, "{id}.{timestamp}.{raw body}").
function verify(rawBody, headers) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false; // refuse replays
  const expected = crypto.createHmac('sha256', KEY).update(`${id}.${timestamp}.`).update(rawBody).digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || !signature) return false;
    const received = Buffer.from(signature, 'base64');
    return received.length === expected.length && crypto.timingSafeEqual(received, expected);
  });
}

const app = express();

// express.raw keeps the body as the exact bytes that were signed; never verify re-serialized JSON.
app.post('/webhook', express.raw({ type: 'application/json', limit: '512kb' }), (req, res) => {
  if (!Buffer.isBuffer(req.body) || !verify(req.body, req.headers)) {
    return res.status(401).json({ error: 'invalid signature' });
  }
  const event = JSON.parse(req.body.toString('utf8'));
  // Deliveries are at least once: skip a webhook-id you have already processed.
  console.log('received', req.headers['webhook-id'], event.type);
  res.json({ ok: true });
});

// HTTPS when given a certificate; otherwise plain HTTP behind your TLS-terminating proxy.
const { TLS_CERT_FILE, TLS_KEY_FILE, PORT = '3000', HOST } = process.env;
const server = TLS_CERT_FILE && TLS_KEY_FILE
  ? https.createServer({ cert: fs.readFileSync(TLS_CERT_FILE), key: fs.readFileSync(TLS_KEY_FILE) }, app)
  : http.createServer(app);
server.listen(Number(PORT), HOST, () => console.log(`Listening on port ${server.address().port}`));
