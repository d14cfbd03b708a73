// Code in chat messages: file paths with a line (`src/server/routes.ts:142`, `#L10`), stack-trace
// frames (Node, Python, Java/Kotlin, Go, Rust) and forge permalinks (GitHub, GitLab, Bitbucket
// `blob/<ref>/path#L10-L20`). This module only finds them in text; whether one becomes a link
// (the file exists inside an open workspace folder, after symlinks) is the host's decision.
// No vscode import: unit-tested, and fast (a 250-message window in well under 5 ms).

export interface CodeRef {
  /** Where the reference is in the text (UTF-16 offsets), and its text. */
  start: number;
  end: number;
  text: string;
  kind: 'path' | 'frame' | 'permalink';
  /** The path as written (relative or absolute; for a Java frame, the package path it implies). */
  path: string;
  line?: number;
  column?: number;
  endLine?: number;
  /** A permalink's repository and ref. */
  forge?: { host: string; owner: string; repo: string; ref: string };
}

const EXT = 'go|rs|ts|tsx|mts|cts|js|jsx|mjs|cjs|py|java|kt|kts|scala|groovy|c|cc|cpp|cxx|h|hpp|cs|rb|php|swift|m|mm|sh|bash|zsh|md|json|jsonc|yaml|yml|toml|xml|html|css|scss|sql|vue|svelte|dart|lua|ex|exs|erl|hs|ml|r|pl|ps1|txt|cfg|ini|gradle|proto|tf';

const PERMALINK = /https?:\/\/(github\.com|gitlab\.com|bitbucket\.org)\/([\w.-]+)\/([\w.-]+)\/(?:-\/)?(?:blob|src)\/([\w.-]+)\/([^\s#?)\]>"']+)(?:#L(\d+)(?:-L?(\d+))?|#lines-(\d+)(?::(\d+))?)?/g;
const NODE_FRAME = /\bat (?:[^\s()]+(?: \[as [^\]]+\])? \()?((?:[A-Za-z]:)?[^\s():]+\.\w+):(\d+):(\d+)\)?/g;
const PYTHON_FRAME = /File "([^"\n]+)", line (\d+)/g;
const JAVA_FRAME = /\bat ((?:[\w$]+\.)+)[\w$<>]+\(([\w$-]+\.(?:java|kt|scala|groovy)):(\d+)\)/g;
const RUST_FRAME = /--> ([^\s:]+\.rs):(\d+):(\d+)/g;
const PATH = new RegExp(
  `(?<![\\w/.:-])((?:\\.{1,2}/|/|~/)?(?:[\\w@.-]+/)*[\\w@-][\\w@.-]*\\.(?:${EXT}))(?::(\\d+)(?::(\\d+))?|#L(\\d+)(?:-L?(\\d+))?)?(?![\\w/])`,
  'gi',
);

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Every code reference in the text, in order, never overlapping; at most `max`. */
export function findCodeRefs(text: string, max = 50): CodeRef[] {
  const found: CodeRef[] = [];
  const taken: [number, number][] = [];
  const free = (s: number, e: number) => taken.every(([a, b]) => e <= a || s >= b);
  const add = (ref: CodeRef) => {
    if (!free(ref.start, ref.end)) return;
    taken.push([ref.start, ref.end]);
    found.push(ref);
  };
  // A cheap check first: most messages have no code at all (no slash, no `:12`, `#L`, `line 3`).
  if (!/[/\\]|:\d|#L\d|line \d/.test(text)) return [];
  for (const m of text.matchAll(PERMALINK)) {
    const line = num(m[6] ?? m[8]);
    add({ start: m.index, end: m.index + m[0].length, text: m[0], kind: 'permalink', path: decodeURIComponentSafe(m[5]!), line, endLine: num(m[7] ?? m[9]), forge: { host: m[1]!.toLowerCase(), owner: m[2]!, repo: m[3]!.replace(/\.git$/, ''), ref: m[4]! } });
  }
  for (const m of text.matchAll(NODE_FRAME)) {
    const at = m.index + m[0].indexOf(m[1]!);
    add({ start: at, end: at + m[1]!.length + 1 + m[2]!.length + 1 + m[3]!.length, text: `${m[1]}:${m[2]}:${m[3]}`, kind: 'frame', path: m[1]!, line: num(m[2]), column: num(m[3]) });
  }
  for (const m of text.matchAll(PYTHON_FRAME)) add({ start: m.index, end: m.index + m[0].length, text: m[0], kind: 'frame', path: m[1]!, line: num(m[2]) });
  for (const m of text.matchAll(JAVA_FRAME)) {
    // `at com.acme.Foo.bar(Foo.java:12)`: the package names the folders, the frame the file.
    const pkg = m[1]!.split('.').filter(Boolean);
    // The last name is the class; the ones before it are the folders.
    pkg.pop();
    const at = m.index + m[0].indexOf(m[2]!);
    add({ start: at, end: at + m[2]!.length + 1 + m[3]!.length, text: `${m[2]}:${m[3]}`, kind: 'frame', path: [...pkg, m[2]!].join('/'), line: num(m[3]) });
  }
  for (const m of text.matchAll(RUST_FRAME)) {
    const at = m.index + 4;
    add({ start: at, end: m.index + m[0].length, text: m[0].slice(4), kind: 'frame', path: m[1]!, line: num(m[2]), column: num(m[3]) });
  }
  for (const m of text.matchAll(PATH)) {
    const path = m[1]!;
    const line = num(m[2] ?? m[4]);
    // A bare file name is only code with a line ("routes.ts:142"); with a folder it is a path.
    if (!path.includes('/') && line === undefined) continue;
    add({ start: m.index, end: m.index + m[0].length, text: m[0], kind: 'path', path, line, column: num(m[3]), endLine: num(m[5]) });
  }
  found.sort((a, b) => a.start - b.start);
  return found.slice(0, max);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
