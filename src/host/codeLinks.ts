// Which code references in a message become editor links (the rule): a file that exists
// inside an open workspace folder, by its real path after symlinks. Relative paths are looked up
// in each folder, a bare file name or a Java frame by its name (one match only), a forge
// permalink in the workspace repository whose remote it names (through the Git extension's API,
// never by running git). `~/…`, `../../…` and anything whose real path is outside every folder
// stay plain text. Answers are cached for a short while; the cache is dropped when folders or
// repositories change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findCodeRefs, pathShape, refIsHead, sameRepo, type CodeRef } from '../text/codeRefs';
import { forgeRemotes, gitApi } from './gitApi';

export interface CodeTarget {
  uri: vscode.Uri;
  line?: number;
  column?: number;
  endLine?: number;
  /** A permalink to another commit than the checkout's: the ref it names and the local HEAD. */
  otherRef?: { ref: string; head: string };
}

const TTL_MS = 30_000;
const MAX_CACHED = 1000;
/** Name lookups (findFiles) for bare names, at most this many at once. */
const LOOKUPS = 2;

export class CodeLinkResolver implements vscode.Disposable {
  private readonly cache = new Map<string, { at: number; answer: Promise<CodeTarget | undefined> }>();
  private folders: Promise<string[]> | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private watchingGit = false;
  private lookups = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly log: { debug(message: string): void }) {
    this.subs.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.clear()),
      vscode.workspace.onDidCreateFiles(() => this.clear()),
      vscode.workspace.onDidDeleteFiles(() => this.clear()),
      vscode.workspace.onDidRenameFiles(() => this.clear()),
    );
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.cache.clear();
  }

  clear(): void {
    this.cache.clear();
    this.folders = undefined;
  }

  /** The references in a text that are links, each with its target. */
  async linksIn(text: string, max = 20): Promise<{ ref: CodeRef; target: CodeTarget }[]> {
    const refs = findCodeRefs(text, max);
    const out: { ref: CodeRef; target: CodeTarget }[] = [];
    const targets = await Promise.all(refs.map((r) => this.resolve(r)));
    refs.forEach((ref, i) => targets[i] && out.push({ ref, target: targets[i] }));
    return out;
  }

  resolve(ref: CodeRef): Promise<CodeTarget | undefined> {
    const key = JSON.stringify([ref.kind, ref.path, ref.forge]);
    const now = Date.now();
    const hit = this.cache.get(key);
    let answer: Promise<{ uri: vscode.Uri; otherRef?: CodeTarget['otherRef'] } | undefined>;
    if (hit && now - hit.at < TTL_MS) answer = hit.answer;
    else {
      answer = this.find(ref).catch((e: unknown) => {
        this.log.debug(`A code reference was not resolved: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      });
      this.cache.set(key, { at: now, answer });
      while (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    }
    return answer.then((found) => found && { uri: found.uri, line: ref.line, column: ref.column, endLine: ref.endLine, otherRef: found.otherRef });
  }

  private async find(ref: CodeRef): Promise<{ uri: vscode.Uri; otherRef?: CodeTarget['otherRef'] } | undefined> {
    const folders = await this.realFolders();
    if (!folders.length) return undefined;
    if (ref.kind === 'permalink' && ref.forge) return this.findPermalink(ref, folders);
    const shape = pathShape(ref.path);
    if (shape === 'absolute') {
      const uri = await this.inside(ref.path, folders);
      return uri && { uri };
    }
    if (shape !== 'relative') return undefined;
    for (const folder of folders) {
      const uri = await this.inside(path.resolve(folder, ref.path), folders);
      if (uri) return { uri };
    }
    // A bare name (`main.go:12`, `Invoice.java:57`) or a Java frame's package path: found by name
    // when exactly one file in the workspace ends with it.
    const bare = !ref.path.includes('/') || /\.(java|kt|scala|groovy)$/.test(ref.path);
    if (!bare || !/^[\w@./-]+$/.test(ref.path)) return undefined;
    const matches = await this.lookup(`**/${ref.path}`);
    if (matches.length !== 1) return undefined;
    const uri = await this.inside(matches[0]!.fsPath, folders);
    return uri && { uri };
  }

  private async findPermalink(ref: CodeRef, folders: string[]): Promise<{ uri: vscode.Uri; otherRef?: CodeTarget['otherRef'] } | undefined> {
    const git = await gitApi();
    if (!git) return undefined;
    if (!this.watchingGit) {
      this.watchingGit = true;
      this.subs.push(git.onDidOpenRepository(() => this.clear()), git.onDidCloseRepository(() => this.clear()));
    }
    if (pathShape(ref.path) !== 'relative') return undefined;
    const forge = ref.forge!;
    const repo = git.repositories.find((r) => forgeRemotes(r).some((remote) => sameRepo(forge, remote.forge)));
    if (!repo) return undefined;
    const uri = await this.inside(path.resolve(repo.rootUri.fsPath, ref.path), folders);
    if (!uri) return undefined;
    const head = repo.state.HEAD;
    if (refIsHead(forge.ref, { commit: head?.commit, name: head?.name })) return { uri };
    return { uri, otherRef: { ref: forge.ref, head: head?.name ?? head?.commit?.slice(0, 8) ?? '?' } };
  }

  /** The file's real path when it is a file inside one of the folders (real paths), else undefined. */
  private async inside(candidate: string, folders: string[]): Promise<vscode.Uri | undefined> {
    let real: string;
    try {
      real = await fs.promises.realpath(candidate);
      if (!(await fs.promises.stat(real)).isFile()) return undefined;
    } catch {
      // Missing, or a link to nowhere: not a link.
      return undefined;
    }
    return folders.some((f) => isWithin(f, real)) ? vscode.Uri.file(real) : undefined;
  }

  private realFolders(): Promise<string[]> {
    this.folders ??= Promise.all(
      (vscode.workspace.workspaceFolders ?? [])
        .filter((f) => f.uri.scheme === 'file')
        .map((f) => fs.promises.realpath(f.uri.fsPath).catch(() => undefined)),
    ).then((list) => list.filter((f): f is string => !!f));
    return this.folders;
  }

  private async lookup(glob: string): Promise<vscode.Uri[]> {
    while (this.lookups >= LOOKUPS) await new Promise<void>((r) => this.waiting.push(r));
    this.lookups++;
    try {
      return await vscode.workspace.findFiles(glob, '{**/node_modules/**,**/.git/**}', 2);
    } finally {
      this.lookups--;
      this.waiting.shift()?.();
    }
  }
}

/** Whether `file` is inside `folder` (both real, absolute paths). */
export function isWithin(folder: string, file: string): boolean {
  const rel = path.relative(folder, file);
  return !!rel && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** Opens a link's file in an editor with its line or range selected (clamped to the file). */
export async function openCodeTarget(target: CodeTarget, viewColumn?: vscode.ViewColumn): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(target.uri);
  let selection: vscode.Range | undefined;
  if (target.line) {
    const last = Math.max(0, doc.lineCount - 1);
    const start = Math.min(target.line - 1, last);
    const end = Math.max(start, Math.min((target.endLine ?? target.line) - 1, last));
    const first = doc.lineAt(start);
    const from = target.column && !target.endLine ? Math.min(target.column - 1, first.text.length) : first.firstNonWhitespaceCharacterIndex;
    selection = new vscode.Range(start, from, end, doc.lineAt(end).text.length);
  }
  await vscode.window.showTextDocument(doc, { selection, preview: false, viewColumn });
}
