// One default per setting: the typed settings module and package.json agree on every key.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SETTING_DEFAULTS, USER_ONLY_SETTINGS } from '../../../src/host/settingDefaults';

describe('settings', () => {
  it('every contributed beeper.* setting has the same default in the typed module, and no other exists', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } };
    const contributed = manifest.contributes.configuration.properties;
    const keys = Object.keys(contributed).map((k) => k.replace(/^beeper\./, ''));
    assert.deepEqual([...keys].sort(), Object.keys(SETTING_DEFAULTS).sort());
    for (const key of keys) assert.deepEqual(contributed[`beeper.${key}`]!.default ?? [], SETTING_DEFAULTS[key as keyof typeof SETTING_DEFAULTS], key);
  });

  it('a repository cannot set what widens where the token goes or what the agent may do', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
      capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] } };
    };
    const props = manifest.contributes.configuration.properties;
    // The settings a hostile .vscode/settings.json would want: the MCP server (token-bearing),
    // the send tool, remote images (read receipts, IP address), the address, local files.
    for (const key of ['mcpServer', 'languageModelTools', 'loadRemoteImages', 'baseUrl', 'localMediaRoots']) assert.ok(USER_ONLY_SETTINGS.includes(key as never), key);
    for (const key of USER_ONLY_SETTINGS) {
      assert.equal(props[`beeper.${key}`]!.scope, 'application', `${key} is set in user settings only`);
      assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations?.includes(`beeper.${key}`), `${key} is restricted in untrusted workspaces`);
    }
    const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
    for (const key of USER_ONLY_SETTINGS) assert.match(readme, new RegExp(`\\| \`beeper\\.${key}\` \\|[^\\n]*\\| user settings only \\|`), `the README's table says ${key} is user-only`);
  });
});

describe('the manifest', () => {
  const root = path.resolve(__dirname, '..', '..', '..', '..');
  it('the version is the CHANGELOG\'s newest, and the extension runs where Beeper Desktop is', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; extensionKind?: string[] };
    const newest = /^## (\d+\.\d+\.\d+)/m.exec(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'))?.[1];
    assert.equal(manifest.version, newest);
    // On the user's own computer in Remote-SSH, WSL, dev containers and Codespaces; on the remote where there is no local side.
    assert.deepEqual(manifest.extensionKind, ['ui', 'workspace']);
  });
});
