// One default per setting: the typed settings module and package.json agree on every key.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SETTING_DEFAULTS } from '../../../src/host/settingDefaults';

describe('settings', () => {
  it('every contributed beeper.* setting has the same default in the typed module, and no other exists', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } };
    const contributed = manifest.contributes.configuration.properties;
    const keys = Object.keys(contributed).map((k) => k.replace(/^beeper\./, ''));
    assert.deepEqual([...keys].sort(), Object.keys(SETTING_DEFAULTS).sort());
    for (const key of keys) assert.deepEqual(contributed[`beeper.${key}`]!.default ?? [], SETTING_DEFAULTS[key as keyof typeof SETTING_DEFAULTS], key);
  });
});
