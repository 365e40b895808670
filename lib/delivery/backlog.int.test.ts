import { describe, it } from 'vitest';
import { useReceiver, useStoppedAfterEach, useTestDb } from '@/test/suite';
import { setEnv } from '@/lib/env';
import { publishEvent } from '@/lib/webhooks/events';
import { makeOrg, publisher } from '@/test/factories';
import { addEndpoint, fastDeliveryEnv } from '@/test/delivery';
import { startWorker } from './worker';

const h = useTestDb();
const rx = useReceiver();
const { workers } = useStoppedAfterEach();

describe('a backlog', () => {
  // One claim takes at most WEBHOOK_ENDPOINT_CONCURRENCY (10) of one endpoint's due rows; the rest wait for slots. The
  // worker must claim again as its attempts there finish, not at its next poll: a backlog once drained at 10 a second.
  it("of one endpoint, deeper than its cap, drains as slots free, with no signal and no poll", async () => {
    fastDeliveryEnv([0.2]);
    setEnv({ WEBHOOK_TIMEOUT_MS: 5000, WEBHOOK_LEASE_MS: 15_000 });
    const { orgId } = await makeOrg(h.db, []);
    await addEndpoint(h.db, orgId, rx.url);
    // published while no worker runs: 40 due deliveries, and no signal left to come
    for (let i = 0; i < 40; i++) await publishEvent(publisher(orgId), 'compound.created', { id: `c-${i}`, name: 'n', category: 'c', efficacy: 0.5 });
    workers.push(startWorker({ pollMs: 600_000 })); // claims once as it starts, then only when something wakes it
    await rx.waitFor(40, 10_000);
  }, 60_000);
});
