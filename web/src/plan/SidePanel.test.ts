import { translate, type MessageKey } from '@gcc/shared/messages';
import { EDIT_REFUSALS, LAYER_PROBLEMS } from '@gcc/shared/topology';
import { describe, expect, it } from 'vitest';
import { formatMessage } from '../app/i18n.tsx';
import { problemText, refusalText } from './SidePanel.tsx';

const t = (key: MessageKey, vars?: Record<string, string | number>) =>
  formatMessage(translate(key, 'zh-CN'), vars);

describe('planner messages', () => {
  it('explains every refusal and problem reason of the engine in Chinese', () => {
    for (const r of EDIT_REFUSALS) expect(refusalText(r, t)).not.toContain(r);
    for (const r of LAYER_PROBLEMS)
      expect(problemText({ reason: r, grids: [], at: [0, 0] }, undefined, t)).not.toContain(r);
    expect(refusalText('parent-border-locked', t)).toBe('社区/街道边界已锁定，不能移动或跨越');
  });

  it('shows an unknown reason by its code rather than nothing', () => {
    expect(refusalText('something-new', t)).toContain('something-new');
  });
});
