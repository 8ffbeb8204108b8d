import { describe, expect, it } from 'vitest';
import { rankingTooltip } from './ranking-tooltip.ts';

describe('the ranking tooltip', () => {
  it('shows a hostile name as text, never as markup', () => {
    const name = '<img src=x onerror=alert(document.cookie)>"网格"&\'';
    const html = rankingTooltip(name, 12);
    expect(html).not.toContain('<img');
    expect(html).toBe(
      '&lt;img src=x onerror=alert(document.cookie)&gt;&quot;网格&quot;&amp;&#39;<br/><b>12</b>',
    );
    // What the browser shows is the name as typed.
    const shown = html
      .split('<br/>')[0]!
      .replace(
        /&lt;|&gt;|&quot;|&#39;|&amp;/g,
        (e) => ({ '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' })[e]!,
      );
    expect(shown).toBe(name);
  });

  it('shows a rate with its fraction', () => {
    expect(rankingTooltip('城东社区', { rate: 0.5, numerator: 1, denominator: 2 })).toMatch(
      /^城东社区<br\/><b>.+ \(1\/2\)<\/b>$/,
    );
  });
});
