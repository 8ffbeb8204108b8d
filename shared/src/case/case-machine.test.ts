import { describe, expect, it } from 'vitest';
import type { CaseId, GridId, WorkerId } from '../ids.ts';
import { applyCaseEvent, decideCaseCommand, type CaseCommand, type CaseState } from './case-machine.ts';

const ctx = { at: 1000, actor: { userId: null, workerId: null } };
const w = 5 as WorkerId;
const initial: CaseState = { id: 1 as CaseId, status: 'reported', gridId: 1 as GridId, assigneeId: null, tier: 'small', level: 'grid', reworkCount: 0 };

function run(state: CaseState, commands: CaseCommand[]): CaseState {
  return commands.reduce((s, c) => {
    const d = decideCaseCommand(s, c, ctx);
    if (!d.ok) throw new Error(`${c.type}: ${d.reason}`);
    return applyCaseEvent(s, d.event);
  }, state);
}

describe('case state machine', () => {
  it('runs the closed loop, with one rework', () => {
    const s = run(initial, [
      { type: 'register', tier: 'micro' },
      { type: 'dispatch', workerId: w },
      { type: 'accept', workerId: w },
      { type: 'start', workerId: w },
      { type: 'feedback', workerId: w, onSite: true, note: '已清运' },
      { type: 'verify', passed: false, note: '仍有残留' },
      { type: 'accept', workerId: w },
      { type: 'start', workerId: w },
      { type: 'feedback', workerId: w, onSite: true, note: '已清理干净' },
      { type: 'verify', passed: true, note: '' },
      { type: 'close' },
    ]);
    expect(s.status).toBe('closed');
    expect(s.reworkCount).toBe(1);
  });
  it('refuses an illegal transition with the reason', () => {
    expect(decideCaseCommand(initial, { type: 'close' }, ctx)).toEqual({ ok: false, reason: 'illegal-transition', status: 'reported', command: 'close' });
  });
  it('lets only the assignee act', () => {
    const s = run(initial, [{ type: 'register', tier: 'small' }, { type: 'dispatch', workerId: w }]);
    expect(decideCaseCommand(s, { type: 'accept', workerId: 6 as WorkerId }, ctx)).toMatchObject({ ok: false, reason: 'not-assignee' });
  });
  it('requires a reason to reject', () => {
    expect(decideCaseCommand(initial, { type: 'reject', reason: '  ' }, ctx)).toMatchObject({ ok: false, reason: 'empty-reason' });
  });
});

describe('case event schema', () => {
  it('accepts what the machine produces and refuses a malformed event', async () => {
    const { CaseEventSchema } = await import('./case-event.schema.ts');
    const d = decideCaseCommand(initial, { type: 'register', tier: 'micro' }, ctx);
    if (!d.ok) throw new Error(d.reason);
    expect(CaseEventSchema.safeParse(d.event).success).toBe(true);
    expect(CaseEventSchema.safeParse({ ...d.event, type: 'case.teleported' }).success).toBe(false);
    expect(CaseEventSchema.safeParse({ ...d.event, type: 'case.rejected', reason: '' }).success).toBe(false);
  });
});

describe('case report input', () => {
  it('refuses NaN and infinite coordinates', async () => {
    const { CaseReportInputSchema } = await import('../domain/schemas.ts');
    const ok = { category: 'S0101', lng: 118.9, lat: 28.9, description: '暴露垃圾', source: 'hotline' };
    expect(CaseReportInputSchema.safeParse(ok).success).toBe(true);
    expect(CaseReportInputSchema.safeParse({ ...ok, lng: Number.NaN }).success).toBe(false);
    expect(CaseReportInputSchema.safeParse({ ...ok, lat: Number.POSITIVE_INFINITY }).success).toBe(false);
  });
});
