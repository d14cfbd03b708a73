// Untrusted text in VS Code's own UI: command links, codicons, bidi and control characters, length.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { untrusted, untrustedLabel } from '../../../src/text/untrusted';

describe('untrusted text in VS Code UI', () => {
  it('breaks command links and codicons, strips control and bidi characters, and bounds the length', () => {
    const link = untrusted('Click [here](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D) now');
    assert.doesNotMatch(link, /\]\(/, 'no Markdown link can form');
    assert.match(link, /here/);
    assert.doesNotMatch(untrusted('[x] (command:foo)'), /\]\s*\(/);
    const icon = untrusted('$(zap) Urgent $(alert)');
    assert.doesNotMatch(icon, /\$\(/, 'no codicon can form');
    assert.match(icon, /Urgent/);
    assert.equal(untrusted('evil\u202Egnp.exe\u200B\u2066x\u0007'), 'evilgnp.exex');
    assert.equal(untrusted('line one\nline two\r\n'), 'line one line two');
    // Joiners build emoji and some scripts: a family stays one emoji, Persian keeps its shape.
    assert.equal(untrusted('Family 👨\u200d👩\u200d👧'), 'Family 👨\u200d👩\u200d👧');
    assert.equal(untrusted('می\u200cخواهم'), 'می\u200cخواهم');
    const long = untrusted('x'.repeat(10_000), 300);
    assert.equal(Array.from(long).length, 300);
    assert.ok(long.endsWith('…'));
    // Cutting cannot rebuild a link: the split happens after the cut.
    assert.doesNotMatch(untrusted(`${'a'.repeat(10)}[l](command:x)`, 14), /\]\(/);
    assert.equal(untrustedLabel('  \u202E '), '(untitled)');
    assert.equal(untrusted({ toString: () => '[x](command:y)' }), '', 'only strings, numbers and booleans are shown');
  });
});
