// The built-in Git extension's API (`vscode.git`, getAPI(1)): the few parts Beeper reads — the
// open repositories, their remotes and HEAD, and which remote branches hold a commit. Git is
// never run from here; when the Git extension is missing or disabled there is simply no answer.
import * as vscode from 'vscode';
import { parseRemote, type ForgeRepo } from '../text/codeRefs';

export interface GitRemote {
  readonly name: string;
  readonly fetchUrl?: string;
  readonly pushUrl?: string;
}

export interface GitRef {
  readonly name?: string;
  readonly commit?: string;
  readonly remote?: string;
  readonly upstream?: { readonly remote: string; readonly name: string };
  readonly ahead?: number;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly HEAD: GitRef | undefined;
    readonly remotes: readonly GitRemote[];
    readonly workingTreeChanges: readonly { readonly uri: vscode.Uri }[];
    readonly indexChanges: readonly { readonly uri: vscode.Uri }[];
    readonly onDidChange: vscode.Event<void>;
  };
  getBranches?(query: { remote?: boolean; contains?: string }): Promise<GitRef[]>;
}

export interface GitAPI {
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly repositories: readonly GitRepository[];
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
  readonly onDidCloseRepository: vscode.Event<GitRepository>;
  getRepository(uri: vscode.Uri): GitRepository | null;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}

interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitAPI;
}

let pending: Promise<GitAPI | undefined> | undefined;

/** The Git API once it has looked at the workspace (at most 5 s), or undefined without Git. */
export function gitApi(): Promise<GitAPI | undefined> {
  pending ??= (async () => {
    const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!ext) return undefined;
    const exports = ext.isActive ? ext.exports : await ext.activate();
    if (!exports?.enabled) return undefined;
    const api = exports.getAPI(1);
    if (api.state !== 'initialized') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 5000);
        const sub = api.onDidChangeState((s) => s === 'initialized' && done());
        function done() {
          clearTimeout(timer);
          sub.dispose();
          resolve();
        }
      });
    }
    return api;
  })().catch(() => {
    // The Git extension failed to start: links to forges and permalinks are not offered.
    pending = undefined;
    return undefined;
  });
  return pending;
}

/** A repository's remotes that are on a known forge (fetch URL first, then push URL), by remote name. */
export function forgeRemotes(repo: GitRepository): { name: string; forge: ForgeRepo }[] {
  const out: { name: string; forge: ForgeRepo }[] = [];
  for (const r of repo.state.remotes) {
    for (const url of [r.fetchUrl, r.pushUrl]) {
      const forge = url ? parseRemote(url) : undefined;
      if (forge) out.push({ name: r.name, forge });
    }
  }
  return out;
}
