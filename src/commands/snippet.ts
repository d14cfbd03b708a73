// Pure helpers for sharing from the editor: a code selection as a Markdown fenced block with its
// language and file:line reference, and a file's MIME type from its name. No vscode import.

import { fenced } from '../text/format';

/** Beeper Desktop takes uploads up to 500 MB. */
export const MAX_UPLOAD_BYTES = 500 * 1024 * 1024;

/** A fence longer than any run of backticks inside the code, so the code cannot close it. */
export function fencedSnippet(code: string, languageId: string, file: string, startLine: number, endLine: number): string {
  const lines = endLine > startLine ? `${startLine}-${endLine}` : String(startLine);
  const body = code.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  return `\`${file}:${lines}\`\n${fenced(body, languageId)}`;
}

export { mimeTypeOf } from '../text/format';
