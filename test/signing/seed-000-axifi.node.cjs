// Seed 000 (AXIFI docs) Node.js example, verbatim inside a runnable Express app. It verifies the
// RE-SERIALIZED body (express.json + JSON.stringify(req.body)), which works only because Hookrelay's
// bodies are compact JSON.stringify output. Test harness additions: WEBHOOK_SECRET/PORT/HOST env, TLS.
const crypto = require('crypto');
const fs = require('fs');
const https = require('https');
const express = require('express');
const app = express();
app.use(express.json());

// ---- verbatim from the seed ----
function verifyWebhookSignature(payload, signature, secret) {
const expectedSignature = 'sha256=' + crypto
.createHmac('sha256', secret)
.update(payload)
.digest('hex');
return crypto.timingSafeEqual(
Buffer.from(signature),
Buffer.from(expectedSignature)
);
}
// In your webhook handler
app.post('/webhooks/axifi', (req, res) => {
const signature = req.headers['x-webhook-signature'];
const payload = JSON.stringify(req.body);
if (!verifyWebhookSignature(payload, signature, process.env.WEBHOOK_SECRET)) {
return res.status(401).json({ error: 'Unauthorized' });
}
// Process webhook...
res.json({ ok: true });
});
// ---- end of seed ----

const server = https.createServer(
  { cert: fs.readFileSync(process.env.TLS_CERT_FILE), key: fs.readFileSync(process.env.TLS_KEY_FILE) },
  app,
);
server.listen(Number(process.env.PORT), process.env.HOST, () => console.log(`Listening on port ${server.address().port}`));
