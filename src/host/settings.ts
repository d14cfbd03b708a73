// Every `beeper.*` setting, read through one typed module with one default each (the same
// defaults as package.json's contributes.configuration; a unit test keeps them equal). Callers
// ask for a setting by name and get its type; nobody repeats a default.
import * as vscode from 'vscode';
import { SETTING_DEFAULTS, USER_ONLY_SETTINGS, type BeeperSettings } from './settingDefaults';

export { SETTING_DEFAULTS, type BeeperSettings };

const USER_ONLY = new Set<string>(USER_ONLY_SETTINGS);

/**
 * A setting's current value (its default when unset or of the wrong type). The settings that
 * widen what leaves the machine or what the agent may do come from user settings only: a
 * workspace or folder value is ignored even in a trusted workspace.
 */
export function setting<K extends keyof BeeperSettings>(key: K): BeeperSettings[K] {
  // Read once per change: VS Code's configuration reads cost up to a millisecond each, and every
  // request asks for the address (a 46-page tree load spent a third of its longest block here).
  const cache = values();
  if (!cache.has(key)) cache.set(key, read(key));
  const value = cache.get(key) as BeeperSettings[K];
  // A list is handed out as a copy: a caller changing it cannot change the next caller's.
  return (Array.isArray(value) ? [...(value as unknown[])] : value) as BeeperSettings[K];
}

let cached: Map<string, unknown> | undefined;

// Emptied on any change of a `beeper.*` setting, of trust or of folders. Registered when this
// module loads, before activation registers any other listener: a listener that reacts to a
// change by reading a setting always reads the new value. Never disposed: it lives as the module.
const forget = () => (cached = undefined);
vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('beeper') && forget());
vscode.workspace.onDidGrantWorkspaceTrust(forget);
vscode.workspace.onDidChangeWorkspaceFolders(forget);

/** The values read since the last change. */
function values(): Map<string, unknown> {
  return (cached ??= new Map<string, unknown>());
}

function read<K extends keyof BeeperSettings>(key: K): BeeperSettings[K] {
  const config = vscode.workspace.getConfiguration('beeper');
  const value = USER_ONLY.has(key) ? config.inspect<unknown>(key)?.globalValue : config.get<unknown>(key);
  const fallback = SETTING_DEFAULTS[key];
  if (value === undefined || value === null) return fallback;
  if (Array.isArray(fallback)) return (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : fallback) as BeeperSettings[K];
  return (typeof value === typeof fallback ? value : fallback) as BeeperSettings[K];
}
