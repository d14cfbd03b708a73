// What a network accepts: files by type and size, code blocks, and long texts split into parts.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachmentVerdict, codeBlocksSurvive, msgtypeOf, splitText } from '../../../src/model/chatCaps';

describe('what a network accepts', () => {
  const caps = { attachments: { 'm.image': { mimeTypes: { 'image/png': 2, 'image/gif': 0 }, maxSize: 1000 }, 'm.file': { mimeTypes: { '*/*': 2 }, maxSize: 5000 } } };
  it('files: the type must be listed (a missing type is rejected), then the size', () => {
    assert.equal(msgtypeOf('image/png'), 'm.image');
    assert.equal(msgtypeOf('application/pdf'), 'm.file');
    assert.deepEqual(attachmentVerdict(undefined, 'video/mp4', 1e9), { ok: true }, 'nothing known: the server decides');
    assert.deepEqual(attachmentVerdict(caps, 'image/png', 999), { ok: true });
    assert.deepEqual(attachmentVerdict(caps, 'image/png', 1001), { ok: false, reason: 'size', maxSize: 1000 });
    assert.deepEqual(attachmentVerdict(caps, 'image/gif', 10), { ok: false, reason: 'type', accepts: ['m.image', 'm.file'] });
    assert.deepEqual(attachmentVerdict(caps, 'video/mp4', 10), { ok: false, reason: 'type', accepts: ['m.image', 'm.file'] });
    assert.deepEqual(attachmentVerdict(caps, 'application/pdf', 10), { ok: true });
  });
  it('code blocks survive unless the formatting says otherwise', () => {
    assert.equal(codeBlocksSurvive(undefined), true);
    assert.equal(codeBlocksSurvive({ formatting: { code_block: 2 } }), true);
    assert.equal(codeBlocksSurvive({ formatting: {} }), false);
    assert.equal(codeBlocksSurvive({ formatting: { bold: 2, code_block: 0 } }), false);
  });
  it('long texts split at paragraphs, lines, sentences or spaces, each part within the limit', () => {
    const text = `${'word '.repeat(30)}\n\n${'more text. '.repeat(20)}`;
    const parts = splitText(text, 100);
    assert.ok(parts.every((p) => p.length <= 100), JSON.stringify(parts.map((p) => p.length)));
    assert.equal(parts.join(' ').replace(/\s+/g, ' ').trim(), text.replace(/\s+/g, ' ').trim());
    assert.deepEqual(splitText('short', 100), ['short']);
    const emoji = '😀'.repeat(60);
    assert.ok(splitText(emoji, 51).every((p) => !/[\ud800-\udbff]$/.test(p)), 'no half surrogate pairs');
  });
});
