import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../i18n/index.ts';
import { OVERRIDE_REFUSALS } from '../category/category-override.schema.ts';
import { CASE_STEPS } from './case-deadline.ts';
import { REFUSAL_REASONS } from './case-machine.ts';
import { commandMessageKey, postMessageKey, refusalMessageKey, stepMessageKey } from './case-messages.ts';
import { AUTH_REFUSALS, CASE_POSTS, RULED_COMMANDS } from './case-rules.ts';
import { CASE_STATUSES, ROLES } from '../domain/schemas.ts';

describe('engine messages', () => {
  it('has every refusal, command, post, step, status and role in both tables, Chinese first', () => {
    const keys = [
      ...[
        ...Object.values(REFUSAL_REASONS),
        ...Object.values(AUTH_REFUSALS),
        ...Object.values(OVERRIDE_REFUSALS),
      ].map(refusalMessageKey),
      ...RULED_COMMANDS.map(commandMessageKey),
      ...CASE_POSTS.map(postMessageKey),
      ...CASE_STEPS.map(stepMessageKey),
      ...CASE_STATUSES.map((s) => `status.${s}`),
      ...ROLES.map((r) => `role.${r}`),
    ];
    for (const k of keys) {
      expect(MESSAGES['zh-CN'][k as keyof (typeof MESSAGES)['zh-CN']], k).toMatch(/[\u4e00-\u9fff]/);
      expect(MESSAGES.en[k as keyof (typeof MESSAGES)['en']], k).toBeTruthy();
    }
  });
});
