import type { Case } from './schemas.ts';

/**
 * One event of the reliable stream (case, alert and boundary events), as clients receive it:
 * `seq` is the resume point; case events carry the case's current state so a client can upsert.
 */
export type StreamEvent =
  | {
      seq: number;
      at: number;
      kind: 'case';
      type: string;
      caseId: number;
      case: Case | null;
      detail: Record<string, unknown>;
    }
  | { seq: number; at: number; kind: 'alert'; type: string; alertId: number; detail: Record<string, unknown> }
  | {
      seq: number;
      at: number;
      kind: 'boundary';
      type: string;
      version: number;
      detail: Record<string, unknown>;
    }
  | { seq: number; at: number; kind: 'resync'; type: 'resync'; reason: 'behind-retention' };
