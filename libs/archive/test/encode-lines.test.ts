import { describe, expect, it } from '@jest/globals';
import { encodeLines } from '../encode-lines.js';

describe('encodeLines', () => {
  it('gives the same bytes as the joined lines with a final newline, multi-byte characters included', () => {
    const lines = ['{"a":1}', '{"city":"Zürich","note":"naïve ☕ 🚀"}', '', `{"seq":${42}${',"x":"y"'}}`];
    expect(encodeLines(lines).equals(Buffer.from(`${lines.join('\n')}\n`, 'utf8'))).toBe(true);
  });

  it('gives an empty buffer for no lines', () => {
    expect(encodeLines([])).toHaveLength(0);
  });
});
