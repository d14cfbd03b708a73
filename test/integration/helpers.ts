// Helpers for tests in the extension host: the extension's test API and the sandbox's admin routes.
import { control } from '../sandbox/control';
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { BeeperExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/nodes';
import type { ChatPageProbe } from '../../src/testing';

export const EXTENSION_ID = 'beeper-vscode.beeper-vscode';

export async function activateExtension(): Promise<BeeperExtensionApi> {
  const ext = vscode.extensions.getExtension<BeeperExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in the host`);
  return ext.activate();
}

/** A fresh sandbox, the extension activated, and its tree read once (what most suites start from). */
export async function freshExtension(): Promise<BeeperExtensionApi> {
  await resetSandbox();
  const api = await activateExtension();
  api.tree.reset();
  await children(api);
  return api;
}

export function sandboxUrl(): string {
  const url = process.env.BEEPER_SANDBOX_URL;
  assert.ok(url, 'BEEPER_SANDBOX_URL is not set');
  return url;
}

/** A sandbox control route, with the admin secret the runner passed (BEEPER_SANDBOX_ADMIN). */
export async function sandbox<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  return control<T>({ url: sandboxUrl(), adminSecret: process.env.BEEPER_SANDBOX_ADMIN ?? '' }, method, path, body);
}

/** A read of Beeper's own API on the sandbox, as the extension's token sees it (what the server holds now). */
export async function beeperGet<T>(path: string): Promise<T> {
  const res = await fetch(`${sandboxUrl()}${path}`, { headers: { authorization: `Bearer ${process.env.BEEPER_ACCESS_TOKEN}` } });
  assert.ok(res.ok, `${path}: ${res.status}`);
  return (await res.json()) as T;
}

/**
 * Runs `fn` while `beeper.*` answers with these values as a repository's workspace settings would
 * (VS Code's configuration object is frozen: a stand-in answers like it, with the workspace values).
 */
export async function withRepositorySettings<T>(values: Record<string, unknown>, fn: () => Promise<T> | T): Promise<T> {
  const realGet = vscode.workspace.getConfiguration;
  vscode.workspace.getConfiguration = ((section?: string, scope?: vscode.ConfigurationScope | null) => {
    const config = realGet(section, scope);
    if (section !== 'beeper') return config;
    return {
      get: (key: string, fallback?: unknown) => (key in values ? values[key] : config.get(key, fallback)),
      has: (key: string) => config.has(key),
      inspect: (key: string) => ({ ...config.inspect(key)!, ...(key in values ? { workspaceValue: values[key] } : {}) }),
      update: config.update.bind(config),
    } as unknown as vscode.WorkspaceConfiguration;
  });
  try {
    return await fn();
  } finally {
    vscode.workspace.getConfiguration = realGet;
  }
}

export async function resetSandbox(): Promise<void> {
  await sandbox('POST', '/_sandbox/reset');
}

export async function children(api: BeeperExtensionApi, node?: TreeNode): Promise<TreeNode[]> {
  return (await api.tree.getChildren(node)) ?? [];
}

export function label(api: BeeperExtensionApi, node: TreeNode): string {
  const l = api.tree.getTreeItem(node).label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * For suites that need live updates: a fresh sandbox, the extension activated with its tree
 * read and the socket live, and unhandled rejections collected from here until `stop()`.
 */
export function liveSuite(): { api(): BeeperExtensionApi; rejections: unknown[]; start(): Promise<void>; stop(): void } {
  let api: BeeperExtensionApi | undefined;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  return {
    api: () => api!,
    rejections,
    async start() {
      process.on('unhandledRejection', onRejection);
      api = await freshExtension();
      await waitFor('the socket to be live', () => api!.live.mode === 'live', 15_000);
    },
    stop() {
      process.off('unhandledRejection', onRejection);
    },
  };
}

/**
 * Opens a chat's panel as a user would (the Open Chat command with a tree row, an ID or a
 * `{ chatID }`) and returns the testing port's probe of it. Unless the panel shows an error page,
 * it waits until the page shows the chat (and, with `messages`, its first messages).
 */
export async function openChatPage(api: BeeperExtensionApi, arg: unknown, wait: 'chat' | 'messages' | 'nothing' = 'chat'): Promise<ChatPageProbe> {
  const panel = await vscode.commands.executeCommand<{ chatID: string } | undefined>('beeper.openChat', arg);
  assert.ok(panel, 'a panel opened');
  const probe = api.testing.chatPage(panel.chatID);
  assert.ok(probe, 'the testing port knows the panel');
  if (wait === 'nothing' || probe.html.includes('role="alert"')) return probe;
  await waitFor('the page to show the chat', () => probe.page.state !== undefined || undefined, 15_000);
  if (wait === 'messages') await waitFor('the first messages', () => probe.page.messages().length > 0 || undefined, 15_000);
  return probe;
}
