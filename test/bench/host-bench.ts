// The part of `npm run bench` that runs inside the real VS Code extension host: activation,
// requests and time for the tree, paging 10,000 chats through the tree, extension-host memory.
// Writes its figures as JSON to BEEPER_BENCH_RESULTS.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { BeeperExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/nodes';

const EXTENSION_ID = 'beeper-vscode.beeper-vscode';
const WHATSAPP = 'local-whatsapp_ba_sandbox1';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(url: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  return res.json();
}

async function until(what: string, probe: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * Live updates, measured in the host with the view open on the default sandbox:
 * - event → tree row updated: a message posted to the sandbox until the tree has told VS Code
 *   about the account row and the chat is first in its children (median, p95 of 40);
 * - requests per 1,000 events: a burst of 1,000 messages over 50 chats (2,000 events);
 * - a soak: 5 events/s with the socket dropped every 2 minutes, CPU time per minute and heap.
 */
async function liveFigures(api: BeeperExtensionApi, url: string, result: Record<string, number>): Promise<void> {
  process.env.BEEPER_DESKTOP_BASE_URL = url;
  api.tree.reset();
  await api.tree.loadedRoots();
  await until('live', () => api.live.mode === 'live');
  const account = api.tree.accountNode(WHATSAPP)!;
  const rowsOf = async () => ((await api.tree.getChildren(account)) ?? []).flatMap((n) => (n.kind === 'chat' ? [n.chat.id] : []));
  let told = 0;
  const sub = api.tree.onDidChangeTreeData((node) => {
    if (node === account || node === undefined) told++;
  });
  const samples: number[] = [];
  for (let i = 0; i < 40; i++) {
    const ids = await rowsOf();
    const target = ids[5 + (i % 20)]!;
    const before = told;
    const t0 = performance.now();
    await post(url, `/_sandbox/chats/${encodeURIComponent(target)}/messages`, { text: `bench ${i}` });
    await until('the row', async () => told > before && (await rowsOf())[0] === target, 10_000);
    samples.push(performance.now() - t0);
    await sleep(300);
  }
  sub.dispose();
  samples.sort((a, b) => a - b);
  result['live.eventToRowMedianMs'] = samples[Math.floor(samples.length / 2)]!;
  result['live.eventToRowP95Ms'] = samples[Math.floor(samples.length * 0.95)]!;

  // The burst.
  await sleep(1000);
  await resetRequests(url);
  const eventsBefore = api.live.stats.events;
  const refreshBefore = api.tree.refreshEvents;
  await post(url, '/_sandbox/burst', { messages: 1000, chats: 50 });
  await until('2,000 events', () => api.live.stats.events - eventsBefore >= 2000, 60_000);
  // Quiet: no request for a second.
  let last = -1;
  for (;;) {
    await sleep(1000);
    const now = (await state(url)).requests.total;
    if (now === last) break;
    last = now;
  }
  const events = api.live.stats.events - eventsBefore;
  result['live.burstEvents'] = events;
  result['live.burstRequests'] = last;
  result['live.requestsPer1000Events'] = (last / events) * 1000;
  result['live.burstTreeRefreshes'] = api.tree.refreshEvents - refreshBefore;

  // The soak.
  const minutes = Number(process.env.BEEPER_BENCH_SOAK_MINUTES ?? 10);
  if (minutes > 0) {
    // The extension host's own baseline first: one quiet minute with the socket open.
    await sleep(2000);
    const idleStart = process.cpuUsage();
    await sleep(60_000);
    const idle = process.cpuUsage(idleStart);
    result['live.idleCpuMsPerMinute'] = (idle.user + idle.system) / 1000;
    const heapStart = process.memoryUsage().heapUsed;
    const cpuStart = process.cpuUsage();
    const resyncsStart = api.live.stats.resyncs;
    await post(url, '/_sandbox/traffic', { perSecond: 5, chats: 50, dropEveryMs: 120_000, durationMs: minutes * 60_000 });
    await sleep(minutes * 60_000);
    const cpu = process.cpuUsage(cpuStart);
    await sleep(2000);
    result['live.soakMinutes'] = minutes;
    result['live.soakCpuMsPerMinute'] = (cpu.user + cpu.system) / 1000 / minutes;
    result['live.soakHeapGrowthMB'] = (process.memoryUsage().heapUsed - heapStart) / 1e6;
    result['live.soakReconnects'] = api.live.stats.resyncs - resyncsStart;
    result['live.soakModeAtEnd'] = api.live.mode === 'live' ? 1 : 0;
  }
}

/** The chat panel: open → first messages, scrolling 10,000 messages, send → pending → confirmed. */
async function conversationFigures(result: Record<string, number>): Promise<void> {
  type Panel = { updates: { type: string }[]; conversation: { size: number; atStart: boolean; messages(): { text?: string; sendStatus?: { status: string } }[] }; stats: { pageRequests: number }; whenReady(): Promise<void>; onMessage(m: unknown): Promise<void> };
  const chat = (n: number) => `!chat${n}_local-whatsapp_ba_sandbox1:local-whatsapp.localhost`;
  const opens: number[] = [];
  for (let i = 0; i < 5; i++) {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const t0 = performance.now();
    const panel = await vscode.commands.executeCommand<Panel>('beeper.openChat', chat(6 + i));
    await until('the first messages', () => panel.updates.some((u) => u.type === 'window'));
    opens.push(performance.now() - t0);
  }
  result['chat.openToMessagesMs'] = opens.sort((a, b) => a - b)[2]!;

  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const heapBefore = process.memoryUsage().heapUsed;
  const panel = await vscode.commands.executeCommand<Panel>('beeper.openChat', chat(4));
  await panel.whenReady();
  await until('the first messages', () => panel.conversation.size > 0);
  const firstRequests = panel.stats.pageRequests;
  let most = panel.conversation.size;
  const t0 = performance.now();
  while (!panel.conversation.atStart) {
    await panel.onMessage({ type: 'loadOlder' });
    most = Math.max(most, panel.conversation.size);
  }
  result['chat.scrollMs'] = performance.now() - t0;
  result['chat.scrollRequests'] = panel.stats.pageRequests - firstRequests + 1;
  result['chat.scrollMessages'] = 10_000;
  result['chat.mostInWindow'] = most;
  result['chat.heapGrowthMB'] = (process.memoryUsage().heapUsed - heapBefore) / 1e6;

  const direct = await vscode.commands.executeCommand<Panel>('beeper.openChat', chat(2));
  await direct.whenReady();
  await until('the first messages', () => direct.conversation.size > 0);
  const sendStart = performance.now();
  const seen = direct.updates.length;
  let pendingAt = 0;
  const sending = direct.onMessage({ type: 'send', requestID: 1, text: 'Benchmark message' });
  await until('pending shown', () => {
    if (direct.updates.slice(seen).some((u) => u.type === 'window')) pendingAt ||= performance.now();
    return pendingAt > 0;
  });
  await sending;
  await until('confirmed', () => direct.conversation.messages().some((m) => m.text === 'Benchmark message' && m.sendStatus?.status === 'SUCCESS'));
  result['chat.sendToPendingMs'] = pendingAt - sendStart;
  result['chat.sendToConfirmedMs'] = performance.now() - sendStart;
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

async function state(url: string): Promise<{ requests: { total: number } }> {
  return (await fetch(`${url}/_sandbox/state`)).json() as Promise<{ requests: { total: number } }>;
}

async function resetRequests(url: string): Promise<void> {
  await fetch(`${url}/_sandbox/requests/reset`, { method: 'POST' });
}

/** Bridges + accounts + the first chat page of every account, as the tree shows them. */
async function showEverything(api: BeeperExtensionApi, url: string): Promise<{ ms: number; requests: number; accounts: number }> {
  process.env.BEEPER_DESKTOP_BASE_URL = url;
  api.tree.reset();
  // Let the reset's own reload (the view is visible) settle, then count from zero.
  await api.tree.loadedRoots();
  await api.tree.unreadCount();
  await resetRequests(url);
  api.tree.reset();
  const t0 = performance.now();
  const roots = (await api.tree.getChildren()) ?? [];
  const accounts = (await Promise.all(roots.map(async (r) => (await api.tree.getChildren(r)) ?? []))).flat();
  await Promise.all(accounts.map(async (a) => api.tree.getChildren(a)));
  const ms = performance.now() - t0;
  await api.tree.unreadCount();
  return { ms, requests: (await state(url)).requests.total, accounts: accounts.length };
}

/** The chat agent's tools, invoked through VS Code as an agent would: latency, result size, requests. */
async function toolFigures(url: string, result: Record<string, number>): Promise<void> {
  const history = '!chat4_local-whatsapp_ba_sandbox1:local-whatsapp.localhost';
  const cases: [string, string, object][] = [
    ['readChat100', 'beeper_readChat', { chatID: history, limit: 100 }],
    ['readChat30', 'beeper_readChat', { chatID: history, limit: 30 }],
    ['searchChats', 'beeper_searchChats', { unreadOnly: true, limit: 50 }],
    ['searchMessages', 'beeper_searchMessages', { query: 'coffee', limit: 20 }],
  ];
  const requests = async () => ((await (await fetch(`${url}/_sandbox/state`)).json()) as { requests: { total: number } }).requests.total;
  for (const [key, tool, input] of cases) {
    const samples: number[] = [];
    let chars = 0;
    let perCall = 0;
    for (let i = 0; i < 6; i++) {
      const before = await requests();
      const t0 = performance.now();
      const r = await vscode.lm.invokeTool(tool, { input, toolInvocationToken: undefined });
      const elapsed = performance.now() - t0;
      if (i > 0) samples.push(elapsed); // the first warms the HTML bundle and the accounts
      chars = r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('').length;
      perCall = (await requests()) - before;
    }
    result[`tools.${key}.ms`] = samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
    result[`tools.${key}.chars`] = chars;
    result[`tools.${key}.requests`] = perCall;
  }
}

export async function run(): Promise<void> {
  const out = process.env.BEEPER_BENCH_RESULTS!;
  const defaultUrl = process.env.BEEPER_BENCH_DEFAULT_URL!;
  const wideUrl = process.env.BEEPER_BENCH_WIDE_URL!;
  const bigUrl = process.env.BEEPER_BENCH_BIG_URL!;
  const ext = vscode.extensions.getExtension<BeeperExtensionApi>(EXTENSION_ID)!;
  const api = await ext.activate();
  const result: Record<string, number> = {
    activationMs: api.activationMs,
    requestsDuringActivation: api.requestsDuringActivation,
  };
  await vscode.commands.executeCommand('workbench.view.extension.beeper');

  await liveFigures(api, defaultUrl, result);
  await conversationFigures(result);
  await toolFigures(defaultUrl, result);

  const runs = Number(process.env.BEEPER_BENCH_RUNS ?? 5);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [name, url] of [['default', defaultUrl], ['wide', wideUrl]] as const) {
    await showEverything(api, url); // warm-up, not counted
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await showEverything(api, url));
    result[`${name}.ms`] = median(samples.map((s) => s.ms));
    result[`${name}.requests`] = samples[0]!.requests;
    result[`${name}.accounts`] = samples[0]!.accounts;
  }

  // A QR login: from the step arriving to the code on screen, and the polling rate while waiting.
  process.env.BEEPER_DESKTOP_BASE_URL = defaultUrl;
  api.tree.reset();
  const qrSamples: number[] = [];
  let pollRate = 0;
  for (let i = 0; i < 3; i++) {
    const run = vscode.commands.executeCommand<{ qrShownMs?: number; polls: number; pollSpanMs: number }>('beeper.addAccount', { bridgeID: 'local-whatsapp' });
    let sessionID: string | undefined;
    for (let t = 0; t < 100 && !sessionID; t++) {
      await new Promise((r) => setTimeout(r, 100));
      const st = (await (await fetch(`${defaultUrl}/_sandbox/state`)).json()) as { loginSessions: { loginSessionID: string; status: string }[] };
      sessionID = api.logins.activePanel?.model ? st.loginSessions.find((x) => x.status === 'waiting_for_display')?.loginSessionID : undefined;
    }
    await new Promise((r) => setTimeout(r, 6_000));
    await fetch(`${defaultUrl}/_sandbox/login-sessions/${sessionID}/scan`, { method: 'POST' });
    const r = await run;
    qrSamples.push(r.qrShownMs ?? NaN);
    pollRate = r.polls / (r.pollSpanMs / 1000);
  }
  result['qr.shownMs'] = median(qrSamples);
  result['qr.pollsPerSecond'] = pollRate;
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');

  // 10,000 chats in one account, through the tree: first page, then "Load more…" to the end.
  process.env.BEEPER_DESKTOP_BASE_URL = bigUrl;
  await vscode.workspace.getConfiguration('beeper').update('chatPageSize', 200, vscode.ConfigurationTarget.Global);
  api.tree.reset();
  await api.tree.loadedRoots();
  const memBefore = process.memoryUsage();
  const firstSamples: number[] = [];
  const allSamples: number[] = [];
  let pages = 0;
  let chats = 0;
  for (let i = 0; i < runs; i++) {
    api.tree.reset();
    await api.tree.loadedRoots();
    const account = api.tree.accountNode('local-whatsapp_ba_sandbox1')!;
    let t0 = performance.now();
    let rows: TreeNode[] = (await api.tree.getChildren(account)) ?? [];
    firstSamples.push(performance.now() - t0);
    t0 = performance.now();
    pages = 1;
    for (;;) {
      const more = rows.find((r) => r.kind === 'loadMore');
      if (!more || more.kind !== 'loadMore') break;
      await api.tree.loadMore(more);
      pages++;
      rows = (await api.tree.getChildren(account)) ?? [];
    }
    allSamples.push(performance.now() - t0 + firstSamples[i]!);
    chats = rows.filter((r) => r.kind === 'chat').length;
  }
  const memAfter = process.memoryUsage();
  await vscode.workspace.getConfiguration('beeper').update('chatPageSize', undefined, vscode.ConfigurationTarget.Global);
  Object.assign(result, {
    'big.firstPageMs': median(firstSamples),
    'big.allMs': median(allSamples),
    'big.pages': pages,
    'big.chats': chats,
    'memory.heapBeforeMB': memBefore.heapUsed / 1e6,
    'memory.heapAfterMB': memAfter.heapUsed / 1e6,
    'memory.rssBeforeMB': memBefore.rss / 1e6,
    'memory.rssAfterMB': memAfter.rss / 1e6,
  });
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
}
