import type { CaseStatus } from '../domain/schemas.ts';
import type { CaseId } from '../ids.ts';
import { isOpenStatus } from './case-machine.ts';
import { greatCircleM } from '../geo/great-circle.ts';

// Duplicate detection at intake: a new report of the same subclass within R metres and T minutes
// of an open case is suggested as its duplicate; the dispatcher decides and merges
// (`decideMerge`). Pure: the server passes the candidates it found (e.g. the open cases of the
// grid and its neighbours reported in the window).

export interface DuplicateCandidate {
  id: CaseId;
  category: string;
  lng: number;
  lat: number;
  reportedAt: number;
  status: CaseStatus;
  mergedInto: CaseId | null;
}

export interface DuplicateRule {
  radiusM: number;
  windowMin: number;
}
export const DEFAULT_DUPLICATE_RULE: DuplicateRule = { radiusM: 50, windowMin: 120 };

export interface DuplicateSuggestion {
  caseId: CaseId;
  distanceM: number;
  minutesApart: number;
}

/** Suggests the open cases a new report may duplicate, nearest first; a merged duplicate points at its primary instead. */
export function suggestDuplicates(
  report: { category: string; lng: number; lat: number; at: number },
  candidates: readonly DuplicateCandidate[],
  rule: DuplicateRule = DEFAULT_DUPLICATE_RULE,
): DuplicateSuggestion[] {
  const out = new Map<CaseId, DuplicateSuggestion>();
  const windowMs = rule.windowMin * 60_000;
  for (const c of candidates) {
    if (c.category !== report.category) continue;
    const apart = Math.abs(report.at - c.reportedAt);
    if (apart > windowMs) continue;
    // A merged case stands for its primary; finished cases are not duplicates of new trouble.
    const target = c.status === 'merged' && c.mergedInto !== null ? c.mergedInto : c.id;
    if (c.status !== 'merged' && !isOpenStatus(c.status)) continue;
    const d = greatCircleM(report.lng, report.lat, c.lng, c.lat);
    if (d > rule.radiusM) continue;
    const prev = out.get(target);
    if (!prev || d < prev.distanceM)
      out.set(target, { caseId: target, distanceM: d, minutesApart: apart / 60_000 });
  }
  return [...out.values()].sort(
    (a, b) => a.distanceM - b.distanceM || a.minutesApart - b.minutesApart || a.caseId - b.caseId,
  );
}
