// Search query words: parsed into the filters /v1/messages/search takes; what cannot be mapped
// is searched as text and said so; highlights and snippets for the rows.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { highlights, parseDateWord, parseSearchQuery, searchParams, snippet } from '../../../src/model/searchQuery';

const NOW = new Date(2026, 11, 1, 15, 30); // a Tuesday afternoon, local time

describe('search query words', () => {
  it('words, quoted phrases and every filter word', () => {
    const p = parseSearchQuery('migration from:sam in:"Release crew" account:whatsapp has:image is:dm "next week"', NOW);
    assert.deepEqual(p.words, ['migration', 'next', 'week']);
    assert.deepEqual(p.filters, [
      { kind: 'from', name: 'sam' },
      { kind: 'in', chat: 'Release crew' },
      { kind: 'account', network: 'whatsapp' },
      { kind: 'has', media: 'image' },
      { kind: 'is', chatType: 'single' },
    ]);
    assert.deepEqual(p.unmapped, []);
  });
  it('dates: ISO, yesterday, last week; before/after become the spec’s dateBefore/dateAfter', () => {
    assert.equal(parseDateWord('yesterday', NOW), new Date(2026, 10, 30).getTime());
    assert.equal(parseDateWord('last week', NOW), new Date(2026, 10, 24).getTime());
    assert.equal(parseDateWord('2026-11-02', NOW), new Date(2026, 10, 2).getTime());
    assert.equal(parseDateWord('2026-02-30', NOW), undefined);
    const p = parseSearchQuery('deploy after:last week before:2026-11-30', NOW);
    assert.deepEqual(p.words, ['deploy']);
    const { params } = searchParams(p, {});
    assert.equal(params.dateAfter, new Date(2026, 10, 24).toISOString());
    assert.equal(params.dateBefore, new Date(2026, 10, 30).toISOString());
    assert.equal(params.query, 'deploy');
  });
  it('a filter word that cannot be mapped is searched as text, and said so', () => {
    const p = parseSearchQuery('has:voice before:someday lunch', NOW);
    assert.deepEqual(p.unmapped, ['has:voice', 'before:someday']);
    assert.deepEqual(p.words, ['voice', 'someday', 'lunch']);
    assert.deepEqual(parseSearchQuery('http://example.com ratio:2', NOW).words, ['http://example.com', 'ratio:2'], 'unknown keys are plain words');
  });
  it('resolved names become parameters; a name that resolved to nothing finds nothing', () => {
    const p = parseSearchQuery('coffee from:grace in:family account:signal has:link has:file is:group', NOW);
    const ok = searchParams(p, { sender: '@grace', chatIDs: ['c1', 'c2'], accountIDs: ['a1'] });
    assert.deepEqual(ok, { params: { query: 'coffee', sender: '@grace', chatIDs: ['c1', 'c2'], accountIDs: ['a1'], mediaTypes: ['link', 'file'], chatType: 'group' }, empty: false });
    assert.equal(searchParams(p, { sender: '@grace', accountIDs: ['a1'] }).empty, true, 'no chat named "family"');
  });
  it('highlights and snippets of the matched words', () => {
    assert.deepEqual(highlights('Coffee, more coffee', ['coffee']), [[0, 6], [13, 19]]);
    assert.deepEqual(highlights('abcabc', ['abc', 'bca']), [[0, 6]]);
    const long = `${'a '.repeat(100)}the migration plan ${'b '.repeat(100)}`;
    const s = snippet(long, ['migration'], 60);
    assert.ok(s.includes('migration') && s.startsWith('…') && s.endsWith('…') && s.length <= 62);
  });
});
