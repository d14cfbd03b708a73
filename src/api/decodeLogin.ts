// Tolerant readers for the bridge and login bodies (accounts, bridges, capabilities, login
// flows, steps and sessions), as the seeds define them. No vscode import.
import type { Account, AccountBridge, ApiErrorBody, Bridge, BridgeLogin, CookieField, LoginDisplay, LoginFlow, LoginInputField, LoginSession, LoginSessionCancelResponse, LoginStep, ProvisioningCapabilities } from './types';
import { arr, compact, obj, optBool, optNum, optRecord, optStr, readUser, str, type Json } from './decodeBasics';


function readAccountBridge(value: unknown, path: string): AccountBridge {
  const o = obj(value, path);
  return { id: str(o, 'id', path), provider: str(o, 'provider', path), type: str(o, 'type', path) };
}

export function readAccount(value: unknown, path = 'account'): Account {
  const o = obj(value, path);
  return compact({
    accountID: str(o, 'accountID', path),
    // Required by the bridge documents, absent on Beeper Desktop before v4.2.785: optional here.
    bridge: o.bridge === undefined || o.bridge === null ? undefined : readAccountBridge(o.bridge, `${path}.bridge`),
    status: optStr(o, 'status'),
    statusText: optStr(o, 'statusText'),
    user: readUser(o.user, `${path}.user`),
    network: optStr(o, 'network'),
    loginID: optStr(o, 'loginID'),
    capabilities: optRecord(o, 'capabilities'),
  });
}

export function readAccountList(value: unknown): Account[] {
  // The official spec answers a bare list; accept `{ items }` too, as the bridge routes use it.
  if (Array.isArray(value)) return value.map((a, i) => readAccount(a, `accounts[${i}]`));
  return arr(obj(value, 'body'), 'items', 'body', readAccount);
}

export function readBridge(value: unknown, path = 'bridge'): Bridge {
  const o = obj(value, path);
  return compact({
    id: str(o, 'id', path),
    accounts: Array.isArray(o.accounts) ? arr(o, 'accounts', path, readAccount) : [],
    activeAccountCount: optNum(o, 'activeAccountCount') ?? 0,
    displayName: optStr(o, 'displayName') ?? str(o, 'id', path),
    provider: str(o, 'provider', path),
    status: str(o, 'status', path),
    supportsMultipleAccounts: optBool(o, 'supportsMultipleAccounts') ?? false,
    type: optStr(o, 'type') ?? '',
    network: optStr(o, 'network'),
    statusText: optStr(o, 'statusText'),
  });
}

export function readBridgeList(value: unknown): Bridge[] {
  return arr(obj(value, 'body'), 'items', 'body', readBridge);
}

export function readCapabilities(value: unknown): ProvisioningCapabilities {
  const o = obj(value, 'capabilities');
  return compact({
    group_creation: (optRecord(o, 'group_creation') ?? {}) as ProvisioningCapabilities['group_creation'],
    resolve_identifier: (optRecord(o, 'resolve_identifier') ?? {}),
    image_pack_import: optBool(o, 'image_pack_import'),
    extra: unknownKeys(o, ['group_creation', 'resolve_identifier', 'image_pack_import']),
  });
}

function unknownKeys(o: Json, known: string[]): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!known.includes(k) && k !== '__proto__') extra[k] = v;
  return Object.keys(extra).length ? extra : undefined;
}

export function readLoginFlows(value: unknown): LoginFlow[] {
  return arr(obj(value, 'body'), 'items', 'body', (v, p) => {
    const o = obj(v, p);
    return compact({ id: str(o, 'id', p), name: optStr(o, 'name'), description: optStr(o, 'description') });
  });
}

function readInputField(value: unknown, path: string): LoginInputField {
  const o = obj(value, path);
  return compact({
    id: str(o, 'id', path),
    label: optStr(o, 'label'),
    placeholder: optStr(o, 'placeholder'),
    initialValue: optStr(o, 'initialValue'),
    optional: optBool(o, 'optional'),
    type: optStr(o, 'type'),
  });
}

function readCookieField(value: unknown, path: string): CookieField {
  const o = obj(value, path);
  return compact({ id: str(o, 'id', path), name: optStr(o, 'name'), type: optStr(o, 'type') });
}

function readDisplay(value: unknown, path: string): LoginDisplay {
  const o = obj(value, path);
  const type = str(o, 'type', path);
  if (type === 'qr') return { type, data: str(o, 'data', path) };
  if (type === 'emoji') return { type, imageURL: str(o, 'imageURL', path) };
  if (type === 'nothing') return { type };
  return { type: 'unknown', originalType: type };
}

function readBridgeLogin(value: unknown, path: string): BridgeLogin {
  const o = obj(value, path);
  return compact({
    bridgeID: str(o, 'bridgeID', path),
    loginID: str(o, 'loginID', path),
    removeScopes: Array.isArray(o.removeScopes) ? o.removeScopes.filter((s): s is string => typeof s === 'string') : [],
    status: optStr(o, 'status') ?? 'unknown',
    accountIDs: Array.isArray(o.accountIDs) ? o.accountIDs.filter((s): s is string => typeof s === 'string') : undefined,
    statusText: optStr(o, 'statusText'),
    user: o.user === undefined ? undefined : readUser(o.user, `${path}.user`),
  });
}

export function readLoginStep(value: unknown, path = 'currentStep'): LoginStep {
  const o = obj(value, path);
  const type = str(o, 'type', path);
  switch (type) {
    case 'user_input':
      return compact({
        type,
        stepID: str(o, 'stepID', path),
        fields: arr(o, 'fields', path, readInputField),
        instructions: optStr(o, 'instructions'),
        attachments: Array.isArray(o.attachments) ? o.attachments : undefined,
      });
    case 'cookies':
      return compact({
        type,
        stepID: str(o, 'stepID', path),
        fields: arr(o, 'fields', path, readCookieField),
        url: str(o, 'url', path),
        instructions: optStr(o, 'instructions'),
        expectedFinalURLRegex: optStr(o, 'expectedFinalURLRegex'),
        extractJS: optStr(o, 'extractJS'),
        userAgent: optStr(o, 'userAgent'),
      });
    case 'display_and_wait':
      return compact({
        type,
        stepID: str(o, 'stepID', path),
        display: readDisplay(o.display, `${path}.display`),
        instructions: optStr(o, 'instructions'),
      });
    case 'complete':
      return compact({
        type,
        stepID: optStr(o, 'stepID'),
        account: o.account === undefined ? undefined : readAccount(o.account, `${path}.account`),
        instructions: optStr(o, 'instructions'),
        login: o.login === undefined ? undefined : readBridgeLogin(o.login, `${path}.login`),
      });
    default:
      return compact({ type: 'unknown' as const, originalType: type, stepID: optStr(o, 'stepID'), instructions: optStr(o, 'instructions') });
  }
}

export function readErrorBody(value: unknown): ApiErrorBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Json;
  if (typeof o.message !== 'string') return undefined;
  return compact({ code: typeof o.code === 'string' ? o.code : 'UNKNOWN', message: o.message, details: o.details });
}

export function readLoginSession(value: unknown): LoginSession {
  const path = 'loginSession';
  const o = obj(value, path);
  return compact({
    bridgeID: str(o, 'bridgeID', path),
    loginSessionID: str(o, 'loginSessionID', path),
    status: str(o, 'status', path),
    account: o.account === undefined ? undefined : readAccount(o.account, `${path}.account`),
    accountID: optStr(o, 'accountID'),
    loginID: optStr(o, 'loginID'),
    currentStep: o.currentStep === undefined || o.currentStep === null ? undefined : readLoginStep(o.currentStep),
    error: readErrorBody(o.error),
    login: o.login === undefined ? undefined : readBridgeLogin(o.login, `${path}.login`),
  });
}

export function readCancelResponse(value: unknown): LoginSessionCancelResponse {
  const o = obj(value, 'body');
  return { bridgeID: str(o, 'bridgeID', 'body'), loginSessionID: str(o, 'loginSessionID', 'body'), status: 'cancelled' };
}

