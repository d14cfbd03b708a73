// Pure helpers for sharing from the editor: a code selection as a Markdown fenced block with its
// language and file:line reference, and a file's MIME type from its name. No vscode import.

/** Beeper Desktop takes uploads up to 500 MB. */
export const MAX_UPLOAD_BYTES = 500 * 1024 * 1024;

/** A fence longer than any run of backticks inside the code, so the code cannot close it. */
export function fencedSnippet(code: string, languageId: string, file: string, startLine: number, endLine: number): string {
  const longest = Math.max(0, ...Array.from(code.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const lang = /^[\w+#.-]{1,40}$/.test(languageId) && languageId !== 'plaintext' ? languageId : '';
  const lines = endLine > startLine ? `${startLine}-${endLine}` : String(startLine);
  const body = code.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  return `\`${file}:${lines}\`\n${fence}${lang}\n${body}\n${fence}`;
}

const MIME: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', json: 'application/json', zip: 'application/zip',
  mp4: 'video/mp4', mov: 'video/quicktime', mp3: 'audio/mpeg', ogg: 'audio/ogg', wav: 'audio/wav', csv: 'text/csv',
  ts: 'text/plain', js: 'text/javascript', html: 'text/html', log: 'text/plain',
};

export function mimeTypeOf(fileName: string): string {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  return MIME[ext] ?? 'application/octet-stream';
}
