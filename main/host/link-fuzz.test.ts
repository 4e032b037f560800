import { describe, expect, it } from 'vitest';
import { LINK_CASES, linkCase, runLinkCase } from './link-fuzz.ts';

describe('links planted in the folders a host keeps (`npm run fuzz` runs them too)', () => {
  const seeds = Array.from({ length: LINK_CASES }, (_, n) => n);
  it('cover every place and every kind of link', () => {
    const made = new Set(seeds.map((s) => JSON.stringify(linkCase(s))));
    expect(made.size).toBe(LINK_CASES);
  });

  it.each(seeds.map((n) => [n, linkCase(n)] as const))(
    'case %i: each call refuses or lists the run with its problem, reading and writing nothing outside',
    async (_, c) => {
      const answers = await runLinkCase(c);
      expect(answers.length).toBeGreaterThan(0);
      for (const answer of answers) expect(answer).toMatch(/^(refused|listed with its problem|not listed)$/);
    },
  );
});
