import { describe, expect, it } from 'vitest';
import { getSnippets } from './snippets';

describe('getSnippets', () => {
  it.each(['standard', 'axifi', 'axle'] as const)('gives the Node, Python and Go receivers for %s', (format) => {
    const snippets = getSnippets(format);
    expect(snippets.map((s) => [s.language, s.filename])).toEqual([
      ['node', `${format}.node.js`],
      ['python', `${format}.py`],
      ['go', `${format}.go`],
    ]);
    for (const { code } of snippets) {
      expect(code).toContain('WEBHOOK_SECRET');
      expect(code).toContain('PORT');
      expect(code).toMatch(/401|StatusUnauthorized/);
      expect(code).not.toMatch(/your_webhook_secret|whsec_[A-Za-z0-9+/]{8,}/);
    }
  });

  it('shows the header each format is verified with', () => {
    expect(getSnippets('standard').every((s) => /webhook-signature/.test(s.code) && /5 \* 60/.test(s.code))).toBe(true);
    expect(getSnippets('axifi').every((s) => /x-webhook-signature/i.test(s.code) && s.code.includes('sha256='))).toBe(true);
    expect(getSnippets('axle').every((s) => /x-signature/i.test(s.code))).toBe(true);
    expect(getSnippets('standard')[0]!.code).toContain("express.raw({ type: 'application/json', limit: '512kb' })");
  });

  it('refuses an unknown format', () => {
    expect(() => getSnippets('svix' as never)).toThrow(/unknown format "svix"/);
  });
});
