// Where Beeper Desktop is and which token to use. Environment variables win over settings and
// the stored token: that is how headless and test runs connect.
const DEFAULT_BASE_URL = 'http://localhost:23373';
const ENV_BASE_URL = 'BEEPER_DESKTOP_BASE_URL';
const ENV_ACCESS_TOKEN = 'BEEPER_ACCESS_TOKEN';

export function resolveBaseUrl(env: NodeJS.ProcessEnv, setting: string | undefined): { url: string; source: 'environment' | 'setting' | 'default' } {
  const fromEnv = env[ENV_BASE_URL]?.trim();
  if (fromEnv) return { url: fromEnv.replace(/\/+$/, ''), source: 'environment' };
  const fromSetting = setting?.trim();
  if (fromSetting) return { url: fromSetting.replace(/\/+$/, ''), source: 'setting' };
  return { url: DEFAULT_BASE_URL, source: 'default' };
}

export function tokenFromEnvironment(env: NodeJS.ProcessEnv): string | undefined {
  const token = env[ENV_ACCESS_TOKEN]?.trim();
  return token ? token : undefined;
}
