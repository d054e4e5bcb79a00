// The values an incident carries, each checked by one schema: its id, what kind of trouble and how
// grave, and the free texts people write on it (bounded, never blank).
import { z } from 'zod';
import { PollingAreaId, SafeId } from '../ids.js';

/** Safe inside the stream id `incident-<incidentId>` and a NATS subject. */
export const IncidentId = SafeId;
export const IncidentPollingAreaId = PollingAreaId;
/** The commune the area lies in: the scope commune accounts and `?communeId=` filter on. */
export const IncidentCommuneId = SafeId;

export const incidentCategories = [
  'security',
  'public_order',
  'ballot_irregularity',
  'voter_list',
  'equipment',
  'power_or_network',
  'weather',
  'medical',
  'complaint',
  'other',
] as const;
export const IncidentCategory = z.enum(incidentCategories);
export type IncidentCategory = z.infer<typeof IncidentCategory>;

export const incidentSeverities = ['low', 'medium', 'high', 'critical'] as const;
export const IncidentSeverity = z.enum(incidentSeverities);
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;

/** What people write: a description, a note, a resolution, a reason. Trimmed, never blank. */
export const IncidentText = z.string().trim().min(1).max(2000);

/** The police or staff unit an incident is handed to, as the operations centre names it. */
export const IncidentUnit = z.string().trim().min(1).max(200);

export const IncidentTime = z.iso.datetime({ offset: true });
