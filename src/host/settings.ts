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
  const config = vscode.workspace.getConfiguration('beeper');
  const value = USER_ONLY.has(key) ? config.inspect<unknown>(key)?.globalValue : config.get<unknown>(key);
  const fallback = SETTING_DEFAULTS[key];
  if (value === undefined || value === null) return fallback;
  if (Array.isArray(fallback)) return (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : fallback) as BeeperSettings[K];
  return (typeof value === typeof fallback ? value : fallback) as BeeperSettings[K];
}
