// "Send Link to Selection…": the forge permalink of lines in the editor, at the commit that is
// checked out, when a remote branch has that commit (a link to a commit nobody else has would be
// broken for the reader). Read through the Git extension's API; git is never run from here.
// When there is no such link the answer says why, in words the user can act on.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { permalinkFor, type ForgeRepo } from '../text/codeRefs';
import { forgeRemotes, gitApi, type GitRepository } from './gitApi';

export type PermalinkAnswer = { url: string; commit: string } | { reason: string };

export async function permalinkOf(doc: vscode.TextDocument, startLine: number, endLine: number): Promise<PermalinkAnswer> {
  const t = vscode.l10n.t;
  if (doc.uri.scheme !== 'file' || doc.isUntitled) return { reason: t('the file is not saved in a folder') };
  const git = await gitApi();
  if (!git) return { reason: t('Git is not available in this window') };
  const repo = git.getRepository(doc.uri);
  if (!repo) return { reason: t('the file is not in a git repository') };
  const commit = repo.state.HEAD?.commit;
  if (!commit) return { reason: t('the repository has no commit yet') };
  const file = doc.uri.fsPath;
  const changed = (list: readonly { uri: vscode.Uri }[]) => list.some((c) => c.uri.fsPath === file);
  if (doc.isDirty || changed(repo.state.workingTreeChanges) || changed(repo.state.indexChanges)) {
    return { reason: t('the file has changes that are not committed, so the lines may not be the same in the link') };
  }
  // By remote name: the first forge URL of each (its fetch URL before its push URL).
  const forges = new Map<string, ForgeRepo>();
  for (const r of forgeRemotes(repo)) if (!forges.has(r.name)) forges.set(r.name, r.forge);
  if (!forges.size) return { reason: t('no remote of this repository is on GitHub, GitLab or Bitbucket') };
  const remote = await pushedTo(repo, commit, forges);
  if (!remote) return { reason: t('commit {0} is not on any remote branch yet; push it first', commit.slice(0, 8)) };
  let rel: string;
  try {
    rel = path.relative(await fs.promises.realpath(repo.rootUri.fsPath), await fs.promises.realpath(file));
  } catch {
    // The file or the repository went away.
    return { reason: t('the file is not in a git repository') };
  }
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return { reason: t('the file is not in a git repository') };
  return { url: permalinkFor(remote, commit, rel.split(path.sep).join('/'), startLine, endLine), commit };
}

/**
 * The forge remote that has the commit: a remote branch that contains it (the upstream's remote
 * first, then origin), or the upstream when the branch is not ahead of it.
 */
async function pushedTo(repo: GitRepository, commit: string, forges: Map<string, ForgeRepo>): Promise<ForgeRepo | undefined> {
  const head = repo.state.HEAD;
  const order = [head?.upstream?.remote, 'origin', ...forges.keys()].filter((n): n is string => !!n && forges.has(n));
  try {
    const branches = (await repo.getBranches?.({ remote: true, contains: commit })) ?? [];
    const names = new Set(branches.map((b) => b.remote ?? b.name?.split('/')[0]).filter(Boolean));
    const name = order.find((n) => names.has(n));
    if (name) return forges.get(name);
  } catch {
    // An older Git extension without `contains`: the upstream answers below.
  }
  if (head?.upstream && head.ahead === 0 && forges.has(head.upstream.remote)) return forges.get(head.upstream.remote);
  return undefined;
}
