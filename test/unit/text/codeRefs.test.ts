// Code references in message text: paths with lines, stack-trace frames and forge permalinks.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findCodeRefs, parseRemote, pathShape, permalinkFor, refIsHead, sameRepo } from '../../../src/text/codeRefs';

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

describe('forges and paths', () => {
  it('a remote URL in every form git takes names its forge repository; other hosts and odd paths name none', () => {
    const gh = { host: 'github.com', owner: 'acme', repo: 'widgets' } as const;
    assert.deepEqual(parseRemote('https://github.com/acme/widgets.git'), gh);
    assert.deepEqual(parseRemote('https://github.com/acme/widgets'), gh);
    assert.deepEqual(parseRemote('git@github.com:acme/widgets.git'), gh);
    assert.deepEqual(parseRemote('ssh://git@github.com:22/acme/widgets.git'), gh);
    assert.deepEqual(parseRemote('https://user:token@www.github.com/acme/widgets/'), gh);
    assert.deepEqual(parseRemote('git@gitlab.com:group/project.git'), { host: 'gitlab.com', owner: 'group', repo: 'project' });
    assert.deepEqual(parseRemote('https://bitbucket.org/team/repo.git'), { host: 'bitbucket.org', owner: 'team', repo: 'repo' });
    for (const bad of ['https://evil.example/acme/widgets.git', 'https://github.com.evil.example/acme/widgets', 'https://github.com/acme', 'https://github.com/acme/widgets/extra', 'file:///srv/git/widgets', '/srv/git/widgets.git', 'https://github.com/../widgets', '']) {
      assert.equal(parseRemote(bad), undefined, bad);
    }
    assert.ok(sameRepo({ host: 'github.com', owner: 'ACME', repo: 'Widgets.git' }, gh), 'forges ignore case');
    assert.ok(!sameRepo({ host: 'gitlab.com', owner: 'acme', repo: 'widgets' }, gh));
  });
  it('permalinks per forge, with single lines and ranges, and escaped path segments', () => {
    const sha = '4f2a9c1e0d';
    assert.equal(permalinkFor({ host: 'github.com', owner: 'o', repo: 'r' }, sha, 'src/a b.ts', 10, 20), 'https://github.com/o/r/blob/4f2a9c1e0d/src/a%20b.ts#L10-L20');
    assert.equal(permalinkFor({ host: 'github.com', owner: 'o', repo: 'r' }, sha, 'src/a.ts', 7), 'https://github.com/o/r/blob/4f2a9c1e0d/src/a.ts#L7');
    assert.equal(permalinkFor({ host: 'gitlab.com', owner: 'g', repo: 'p' }, sha, 'a.py', 3, 4), 'https://gitlab.com/g/p/-/blob/4f2a9c1e0d/a.py#L3-4');
    assert.equal(permalinkFor({ host: 'bitbucket.org', owner: 't', repo: 'r' }, sha, 'x.java', 5, 9), 'https://bitbucket.org/t/r/src/4f2a9c1e0d/x.java#lines-5:9');
    // What the detector finds in a permalink we build is what we built.
    const found = findCodeRefs(permalinkFor({ host: 'github.com', owner: 'o', repo: 'r' }, sha, 'src/a.ts', 10, 20))[0]!;
    assert.deepEqual([found.path, found.line, found.endLine, found.forge?.ref], ['src/a.ts', 10, 20, sha]);
  });
  it('a ref is the checkout when it is the branch or a prefix (7+) of the HEAD commit', () => {
    const head = { commit: '4f2a9c1e0d9b8a7f6e5d4c3b2a1f0e9d8c7b6a59', name: 'main' };
    assert.ok(refIsHead('main', head));
    assert.ok(refIsHead('4f2a9c1', head));
    assert.ok(refIsHead(head.commit.toUpperCase(), head));
    assert.ok(!refIsHead('4f2a9c', head), 'six digits are not enough');
    assert.ok(!refIsHead('develop', head));
    assert.ok(!refIsHead('0123abcd', head));
  });
  it('where a path may be looked for: never ~, never above the folder as written', () => {
    assert.equal(pathShape('src/a.ts'), 'relative');
    assert.equal(pathShape('./src/../lib/a.ts'), 'relative');
    assert.equal(pathShape('/srv/app/a.ts'), 'absolute');
    assert.equal(pathShape('C:\\app\\a.ts'), 'absolute');
    for (const bad of ['../../etc/passwd.txt', '~/.ssh/id_rsa.pub', '~root/x.ts', 'src/../../x.ts', '..', '.', '', 'a\0b.ts']) assert.equal(pathShape(bad), undefined, bad);
  });
});
