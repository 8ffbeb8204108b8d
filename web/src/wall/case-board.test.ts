import { describe, expect, it } from 'vitest';
import type { Case, StreamEvent } from '@gcc/shared';
import { caseId, gridId } from '@gcc/shared/testing';
import { CaseBoard, HEAT_DAYS, MAX_HEAT } from './case-board.ts';

const DAY = 24 * 3600_000;
const now = Date.UTC(2026, 11, 5, 4, 0);

const kase = (id: number, reportedAt: number): Case => ({
  id: caseId(id),
  code: `C${id}`,
  source: 'hotline',
  category: 'S0101',
  lng: 118.87,
  lat: 28.95,
  gridId: gridId(1),
  status: 'reported',
  tier: 'small',
  level: 'grid',
  description: '',
  assigneeId: null,
  assigneeDepartment: null,
  reportedAt,
  deadlineAt: null,
  closedAt: null,
  updatedAt: reportedAt,
  version: 1,
  parkedAt: null,
  mergedInto: null,
  caller: null,
  address: null,
});
const reported = (c: Case): StreamEvent => ({
  seq: c.id,
  at: c.reportedAt,
  kind: 'case',
  type: 'case.reported',
  caseId: c.id,
  case: c,
  detail: {},
});

describe('the wall case board stays bounded', () => {
  it('forgets the ids of pruned heat points, so a replayed old report is not kept forever', () => {
    const board = new CaseBoard();
    board.load({ open: [], recent: [], heat: [] });
    for (let i = 1; i <= 100; i++) board.apply([reported(kase(i, now - (HEAT_DAYS + 1) * DAY))]);
    for (let i = 101; i <= 110; i++) board.apply([reported(kase(i, now))]);
    expect(board.heat).toHaveLength(110);
    board.prune(now);
    expect(board.heat).toHaveLength(10);
    // The set of ids went with the points: a report of a pruned id counts again.
    board.apply([reported(kase(5, now))]);
    expect(board.heat).toHaveLength(11);
  });

  it('keeps at most MAX_HEAT heat points, dropping the oldest', () => {
    const board = new CaseBoard();
    board.load({
      open: [],
      recent: [],
      heat: Array.from({ length: MAX_HEAT }, (_, i) => ({ id: i + 1, lng: 1, lat: 2, reportedAt: now - i })),
    });
    board.apply([reported(kase(MAX_HEAT + 1, now + 1))]);
    expect(board.heat).toHaveLength(MAX_HEAT);
    expect(board.daily(now + 1).reduce((a, [, n]) => a + n, 0)).toBe(MAX_HEAT);
  });
});
