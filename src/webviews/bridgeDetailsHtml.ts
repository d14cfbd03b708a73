// The bridge details page, as HTML: status, where it runs, accounts with their health, login
// flows (each with "Add account with this flow"), and capabilities in words. Pure: every string
// from the API passes through displayText and escapeHtml here. No vscode import.
import type { Account, Bridge, LoginFlow, ProvisioningCapabilities } from '../api/types';
import { describeCapabilities } from '../people/capabilities';
import { accountHandle, accountLabel, humanize, statusCategory } from '../model/labels';
import { displayText, escapeHtml, pageEnd, pageStart, type PageFrame } from './html';

export interface BridgePageModel {
  bridge: Pick<Bridge, 'id' | 'displayName' | 'provider' | 'status' | 'statusText' | 'supportsMultipleAccounts' | 'activeAccountCount' | 'network' | 'type'>;
  accounts: Account[];
  /** Undefined: not reported (an older Beeper Desktop); an Error-like text: could not be read. */
  flows: LoginFlow[] | undefined;
  flowsError?: string;
  capabilities: ProvisioningCapabilities | undefined;
  capabilitiesError?: string;
}

export function whereItRuns(provider: string | undefined, t: PageFrame['t']): string {
  switch (provider) {
    case 'local':
      return t('On this device');
    case 'cloud':
      return t('In Beeper Cloud');
    case 'self-hosted':
      return t('Self-hosted');
    case 'platform-sdk':
      return t('Platform SDK');
    default:
      return provider ? displayText(provider, 40) : t('Not reported');
  }
}

export function bridgeDetailsHtml(frame: PageFrame, model: BridgePageModel): string {
  const t = frame.t;
  const b = model.bridge;
  const title = displayText(b.displayName) || displayText(b.id);
  const list = (items: string[]) => (items.length ? `<ul>${items.map((i) => `<li><bdi>${escapeHtml(displayText(i, 600))}</bdi></li>`).join('')}</ul>` : '');

  const accounts = model.accounts.length
    ? `<ul class="accounts">${model.accounts
        .map((a) => {
          const category = statusCategory(a.status);
          const status = a.statusText ?? (a.status ? humanize(a.status) : t('Status unknown'));
          return `<li class="account ${escapeHtml(category)}"><span class="name"><bdi>${escapeHtml(displayText(accountLabel(a), 120))}</bdi></span>${
            accountHandle(a) ? ` <span class="muted"><bdi>${escapeHtml(displayText(accountHandle(a), 80))}</bdi></span>` : ''
          } — <span class="status"><bdi>${escapeHtml(displayText(status, 200))}</bdi></span></li>`;
        })
        .join('')}</ul>`
    : `<p class="muted">${escapeHtml(t('No accounts yet.'))}</p>`;

  const flows =
    model.flows === undefined
      ? `<p class="muted">${escapeHtml(model.flowsError ? t('Could not read the login flows: {0}', displayText(model.flowsError, 300)) : t('Not reported by this Beeper Desktop.'))}</p>`
      : model.flows.length
        ? `<ul class="flows">${model.flows
            .map(
              (f) =>
                `<li><strong><bdi>${escapeHtml(displayText(f.name || f.id, 120))}</bdi></strong>${f.description ? ` — <bdi>${escapeHtml(displayText(f.description, 600))}</bdi>` : ''} <button type="button" data-flow="${escapeHtml(f.id)}">${escapeHtml(t('Add account with this flow'))}</button></li>`,
            )
            .join('')}</ul>`
        : `<p class="muted">${escapeHtml(t('No login flows.'))}</p>`;

  let capabilities: string;
  if (!model.capabilities) {
    capabilities = `<p class="muted">${escapeHtml(model.capabilitiesError ? t('Could not read the capabilities: {0}', displayText(model.capabilitiesError, 300)) : t('Not reported by this Beeper Desktop.'))}</p>`;
  } else {
    const c = describeCapabilities(model.capabilities, t);
    const parts = [
      c.people.length ? `<h3>${escapeHtml(t('People and direct chats'))}</h3>${list(c.people)}` : '',
      c.groups.length ? `<h3>${escapeHtml(t('Groups'))}</h3>${list(c.groups)}` : '',
      c.disappearing.length ? `<h3>${escapeHtml(t('Disappearing messages'))}</h3>${list(c.disappearing)}` : '',
      c.other.length ? `<h3>${escapeHtml(t('Other'))}</h3>${list(c.other)}` : '',
      c.unknown.length ? `<h3>${escapeHtml(t('Not known to this extension (as reported)'))}</h3><ul class="raw">${c.unknown.map((u) => `<li><code>${escapeHtml(displayText(u, 300))}</code></li>`).join('')}</ul>` : '',
    ].filter(Boolean);
    capabilities = parts.length ? parts.join('\n') : `<p class="muted">${escapeHtml(t('This network reports no capabilities.'))}</p>`;
  }

  const status = b.statusText ?? (b.status ? humanize(b.status) : t('Status unknown'));
  return `${pageStart(frame, title, ` data-bridge-id="${escapeHtml(b.id)}"`)}
<header class="chat-header">
  <div class="heading">
    <h1 id="bridge-title"><bdi>${escapeHtml(title)}</bdi></h1>
    <p class="subtitle"><bdi>${escapeHtml(displayText(b.network ?? b.type ?? '', 80))}</bdi></p>
  </div>
</header>
<section aria-labelledby="state-heading">
  <h2 id="state-heading">${escapeHtml(t('Status'))}</h2>
  <dl class="facts">
    <dt>${escapeHtml(t('Status'))}</dt><dd id="status"><bdi>${escapeHtml(displayText(status, 300))}</bdi></dd>
    <dt>${escapeHtml(t('Runs'))}</dt><dd id="runs">${escapeHtml(whereItRuns(b.provider, t))}</dd>
    <dt>${escapeHtml(t('Several accounts'))}</dt><dd>${escapeHtml(b.supportsMultipleAccounts ? t('Yes') : t('No, one account'))}</dd>
    <dt>${escapeHtml(t('Active accounts'))}</dt><dd>${escapeHtml(String(b.activeAccountCount ?? model.accounts.filter((a) => a.status !== 'disabled').length))}</dd>
  </dl>
</section>
<section aria-labelledby="accounts-heading">
  <h2 id="accounts-heading">${escapeHtml(t('Accounts'))}</h2>
  ${accounts}
</section>
<section aria-labelledby="flows-heading">
  <h2 id="flows-heading">${escapeHtml(t('Ways to sign in'))}</h2>
  ${flows}
</section>
<section aria-labelledby="caps-heading" id="capabilities">
  <h2 id="caps-heading">${escapeHtml(t('What it can do'))}</h2>
  ${capabilities}
</section>
${pageEnd(frame)}`;
}
