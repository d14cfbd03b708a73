// Code references in message text: paths with lines, stack-trace frames and forge permalinks.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findCodeRefs } from '../../../src/text/codeRefs';

const pick = (text: string) => findCodeRefs(text).map((r) => ({ kind: r.kind, path: r.path, line: r.line, column: r.column, endLine: r.endLine, text: r.text }));

describe('code references in messages', () => {
  it('paths with a line, a column or #L, relative and absolute; a bare name only with a line', () => {
    assert.deepEqual(pick('see src/server/routes.ts:142 and lib/a.go'), [
      { kind: 'path', path: 'src/server/routes.ts', line: 142, column: undefined, endLine: undefined, text: 'src/server/routes.ts:142' },
      { kind: 'path', path: 'lib/a.go', line: undefined, column: undefined, endLine: undefined, text: 'lib/a.go' },
    ]);
    assert.deepEqual(pick('main.go:17:3 vs main.go'), [{ kind: 'path', path: 'main.go', line: 17, column: 3, endLine: undefined, text: 'main.go:17:3' }]);
    assert.deepEqual(pick('/opt/app/x.py#L10-L12')[0], { kind: 'path', path: '/opt/app/x.py', line: 10, column: undefined, endLine: 12, text: '/opt/app/x.py#L10-L12' });
    assert.equal(pick('../../etc/passwd.txt:1')[0]!.path, '../../etc/passwd.txt', 'found here; the host refuses what is outside the workspace');
    assert.deepEqual(pick('no code here, just words. Version 1.2 is out'), []);
  });
  it('stack frames: Node, Python, Java/Kotlin, Rust (Go frames are paths with a line)', () => {
    const node = pick('Error: boom\n    at handler (/srv/app/src/routes.ts:42:7)\n    at src/index.js:3:1');
    assert.deepEqual(node.map((r) => [r.kind, r.path, r.line, r.column]), [['frame', '/srv/app/src/routes.ts', 42, 7], ['frame', 'src/index.js', 3, 1]]);
    assert.deepEqual(pick('  File "app/models.py", line 88, in save').map((r) => [r.kind, r.path, r.line]), [['frame', 'app/models.py', 88]]);
    assert.deepEqual(pick('\tat com.acme.billing.Invoice.total(Invoice.java:57)').map((r) => [r.kind, r.path, r.line]), [['frame', 'com/acme/billing/Invoice.java', 57]]);
    assert.deepEqual(pick('error[E0382]: borrow\n --> src/main.rs:12:5').map((r) => [r.kind, r.path, r.line, r.column]), [['frame', 'src/main.rs', 12, 5]]);
    assert.deepEqual(pick('goroutine 1 [running]:\nmain.main()\n\t/home/u/x/main.go:9 +0x1d').map((r) => [r.path, r.line]), [['/home/u/x/main.go', 9]]);
  });
  it('forge permalinks with their repository, ref and lines; nothing found twice', () => {
    const refs = findCodeRefs('look https://github.com/acme/widgets/blob/4f2a9c1/src/app.ts#L10-L20 please');
    assert.equal(refs.length, 1);
    assert.deepEqual([refs[0]!.kind, refs[0]!.path, refs[0]!.line, refs[0]!.endLine, refs[0]!.forge], ['permalink', 'src/app.ts', 10, 20, { host: 'github.com', owner: 'acme', repo: 'widgets', ref: '4f2a9c1' }]);
    assert.deepEqual(findCodeRefs('https://gitlab.com/g/p/-/blob/main/a/b.py#L3')[0]!.forge, { host: 'gitlab.com', owner: 'g', repo: 'p', ref: 'main' });
    assert.equal(findCodeRefs('https://bitbucket.org/t/r/src/abc/x.java#lines-7')[0]!.line, 7);
  });
  it('at most `max` references per message, in text order', () => {
    const many = Array.from({ length: 80 }, (_, i) => `src/f${i}.ts:${i + 1}`).join(' ');
    const refs = findCodeRefs(many);
    assert.equal(refs.length, 50);
    assert.ok(refs.every((r, i) => i === 0 || r.start > refs[i - 1]!.start));
  });
});
