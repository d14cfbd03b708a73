// ESLint: typescript-eslint's type-checked recommendations over the extension, the webview pages
// and the tests. `npm test` runs it with --max-warnings 0.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NO_VSCODE = { name: 'vscode', message: 'This layer is vscode-free: it must run (and be unit-tested) in plain Node.' };
/** Folders above the model: nothing in src/model or src/live may import them. */
const VIEW_LAYERS = ['../tree/*', '../webviews/*', '../webview-ui/*', '../commands/*', '../statusBar/*', '../notifications/*', '../inbox/*', '../tools/*', '../login/*', '../connection/*', '../people/*', '../extension'];
/** vscode-free modules outside the folders that are vscode-free as a whole. */
const PURE = [
  'src/text/**', 'src/api/**', 'src/model/**', 'src/live/**', 'src/login/stepMachine.ts', 'src/login/qr.ts', 'src/people/**',
  'src/notifications/rules.ts', 'src/connection/origin.ts', 'src/connection/oauth.ts',
  'src/tools/toolText.ts', 'src/tools/catchUpPrompt.ts', 'src/commands/snippet.ts', 'src/webviews/protocol.ts', 'src/webviews/html.ts', 'src/webviews/messageView.ts',
  'src/webviews/sanitizeRules.ts', 'src/webviews/chatDetailsHtml.ts', 'src/webviews/bridgeDetailsHtml.ts', 'src/webviews/loginHtml.ts',
  'src/webviews/localMedia.ts', 'src/webviews/assetCache.ts', 'src/webviews/validate.ts', 'src/webviews/chatPageState.ts', 'src/host/settingDefaults.ts', 'src/webview-ui/**',
];

/** What a page may import besides its own modules: its protocol and shared pure modules. */
const PAGE_SHARED = 'webviews/protocol$|webviews/sanitizeRules$|webviews/chatPageState$|model/conversation$|text/';
const PAGE_RULE = 'A page imports only its protocol and shared pure modules.';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', 'node_modules/**', '**/*.mjs', 'test/fixtures/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-properties': [
        'error',
        { object: 'JSON', property: 'parse', message: 'Parse API bodies through src/api/decode.ts.' },
      ],
    },
  },
  // ---- the layers (see README "Architecture"): lower layers never import higher ones ----------
  {
    // The core and every pure module: no vscode, so they run and are unit-tested in plain Node.
    files: PURE,
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [{ regex: '^\\.\\./tree/', message: 'A pure module never imports the tree.' }] }] },
  },
  {
    // src/text: the bottom layer; it imports nothing of the project but itself and the API's types.
    files: ['src/text/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [{ regex: '^\\.\\./(?!text/|api/types$)', message: 'src/text is the bottom layer: it imports nothing of the project but the API types.' }] }] },
  },
  {
    // src/api: the client. Only src/text below it.
    files: ['src/api/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [{ regex: '^\\.\\./(?!api/|text/)', message: 'src/api imports only src/text.' }] }] },
  },
  {
    // The model and live updates: the core under every view. No view, command, panel or page.
    files: ['src/model/**', 'src/live/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [{ group: VIEW_LAYERS, message: 'The model and live updates never import a view, command, panel, tool or page: views read the model.' }] }] },
  },
  {
    // Commands, tools and the status bar read the model, never the tree (only its node type, for menu arguments).
    files: ['src/commands/**', 'src/tools/**', 'src/statusBar/**', 'src/notifications/**', 'src/webviews/**'],
    ignores: ['src/commands/treeCommands.ts', ...PURE],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./tree/(?!nodes$)', message: 'Read the model (src/model), not the tree.' }] }] },
  },
  {
    // Webview pages run in the browser: only their protocol and shared pure modules.
    files: ['src/webview-ui/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [{ regex: `^\\.\\./(?!webview-ui/|${PAGE_SHARED})`, message: PAGE_RULE }] }] },
  },
  {
    // The chat page's modules, one folder down.
    files: ['src/webview-ui/*/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [{ regex: `^\\.\\./\\.\\./(?!webview-ui/|${PAGE_SHARED})`, message: PAGE_RULE }] }] },
  },
  {
    // Parsing JSON is what these files are for (API bodies, stored metadata, socket frames).
    files: ['src/api/**', 'src/connection/**', 'src/live/frames.ts', 'test/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Test doubles implement async interfaces without awaiting anything.
    files: ['test/**'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
);
