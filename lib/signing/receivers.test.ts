// The dashboard's Node and Python receiver snippets and the seeds' own verification code, run as real HTTPS receivers.
import { describeReceiver, here, nodeProgram, pythonProgram, seed } from '@/test/signing/receivers';

for (const format of ['standard', 'axifi', 'axle'] as const) {
  describeReceiver(`snippet ${format}.node.js`, format, '/webhook', () => nodeProgram(here('snippets', `${format}.node.js`)));
  describeReceiver(`snippet ${format}.py`, format, '/webhook', () => pythonProgram(here('snippets', `${format}.py`)));
}
// Seed 000's Node example re-serializes the JSON (express.json + JSON.stringify(req.body)); it must still verify.
describeReceiver('seed 000 Node (express.json, re-serialized)', 'axifi', '/webhooks/axifi', () =>
  nodeProgram(seed('seed-000-axifi.node.cjs')),
);
describeReceiver('seed 000 Python', 'axifi', '/webhooks/axifi', () => pythonProgram(seed('seed-000-axifi.py')));
describeReceiver('seed 002 Python', 'axle', '/webhook', () => pythonProgram(seed('seed-002-axle.py')));
