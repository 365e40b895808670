import { eventTypes } from '@/db/schema';
import { newId } from '@/db/ids';
import type { Tx, Db } from '@/db/client';

// The event types every new organization starts with; samples come from the two vendors' docs (shared/seeds).
export const DEFAULT_EVENT_TYPES = [
  {
    name: 'compound.created',
    description: 'Triggered when a new compound is added to the database.',
    schema: {
      type: 'object',
      properties: {
        id: { type: 'string', description: 'The compound id' },
        name: { type: 'string' },
        category: { type: 'string' },
        efficacy: { type: 'number', minimum: 0, maximum: 1 },
      },
      required: ['id', 'name', 'category', 'efficacy'],
      additionalProperties: true,
    },
    sample: { id: 'compound-123', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 },
  },
  {
    name: 'investigation.updated',
    description: "Sent when an investigation's processing or approval state changes.",
    schema: {
      type: 'object',
      properties: {
        investigation_id: { type: 'string', format: 'uuid' },
        organization_id: { type: 'string', format: 'uuid' },
        investigation_type: {
          type: 'string',
          enum: ['individual_investigation', 'business_investigation', 'transaction_monitoring_investigation'],
        },
        status: {
          type: 'object',
          properties: {
            approval_state: { type: 'string', enum: ['AI_CLEARED', 'AI_ESCALATED'] },
            processing_state: { type: 'string', enum: ['COMPLETED', 'FAILED'] },
          },
          required: ['approval_state', 'processing_state'],
        },
      },
      required: ['investigation_id', 'organization_id', 'investigation_type', 'status'],
      additionalProperties: true,
    },
    sample: {
      investigation_id: '14c08b5d-e32c-46d7-ba5e-156bd543eefa',
      organization_id: '766b0fc0-bfe2-4032-a510-ccd068a0c160',
      investigation_type: 'individual_investigation',
      status: { approval_state: 'AI_CLEARED', processing_state: 'COMPLETED' },
    },
  },
] as const;

// Seeds the default catalog into a new organization, inside the caller's transaction.
export async function seedEventTypes(tx: Tx | Db, orgId: string): Promise<void> {
  await tx.insert(eventTypes).values(
    DEFAULT_EVENT_TYPES.map((t) => ({
      id: newId('et'),
      orgId,
      name: t.name,
      description: t.description,
      schema: t.schema as unknown as Record<string, unknown>,
      sample: t.sample as unknown as Record<string, unknown>,
    })),
  );
}
