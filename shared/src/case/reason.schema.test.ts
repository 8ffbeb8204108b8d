import { describe, expect, it } from 'vitest';
import { CaseCommandInputSchema } from './case-command.schema.ts';
import { MAX_REASON_LENGTH, ReasonSchema } from './case-event.schema.ts';
import { DeviceReturnInputSchema } from './device-case.schema.ts';

// A reason that is too long says so (it used to say "reason is required"), in both languages.

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.error?.issues.map((i) => i.message) ?? [];

describe('a reason', () => {
  it('of 501 characters is refused as too long, naming the limit, on the device and the desk', () => {
    const long = 'x'.repeat(MAX_REASON_LENGTH + 1);
    for (const r of [
      ReasonSchema.safeParse(long),
      DeviceReturnInputSchema.safeParse({ expectedVersion: 1, reason: long }),
      CaseCommandInputSchema.safeParse({
        caseId: 1,
        command: { type: 'return', reason: long, expectedVersion: 1 },
      }),
    ]) {
      expect(r.success).toBe(false);
      const [message] = messages(r);
      expect(message).toContain('原因过长（最多 500 字）');
      expect(message).toContain('too long (at most 500 characters)');
      expect(message).not.toMatch(/required|请填写/);
    }
    expect(ReasonSchema.safeParse('x'.repeat(MAX_REASON_LENGTH)).success).toBe(true);
  });

  it('missing or blank is refused as required', () => {
    for (const r of [
      DeviceReturnInputSchema.safeParse({ expectedVersion: 1 }),
      DeviceReturnInputSchema.safeParse({ expectedVersion: 1, reason: '   ' }),
    ]) {
      expect(messages(r)).toEqual(['请填写原因 / A reason is required']);
    }
    // Not a string at all is a type error, not "required".
    expect(messages(ReasonSchema.safeParse(42))[0]).not.toContain('请填写原因');
  });
});
