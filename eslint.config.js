// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layering of docs/architecture.md, expressed as
 * `no-restricted-imports` patterns so that a violation fails `npm test`.
 * Relative specifiers are matched by the layer folder they climb into, which
 * keeps the rule independent of any module resolver.
 */
const LAYERS = ['shared', 'engine', 'node', 'main', 'preload', 'renderer', 'cli', 'sandbox'];

const NODE_BUILTINS = [...new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])];

/** npm packages that perform I/O: they belong in adapters, never in the engine. */
const IO_PACKAGES = [
  'electron',
  'electron-store',
  'got',
  'undici',
  'chokidar',
  'pino',
  'conf',
  '@napi-rs/keyring',
  's3rver',
  'busboy',
  'ws',
];

/** @param {string[]} layers */
function intoLayers(layers) {
  return {
    regex: `^(?:\\.\\./)+(?:${layers.join('|')})(?:/|$)`,
    caseSensitive: true,
    message: 'This import crosses the layering in docs/architecture.md.',
  };
}

/**
 * @param {string} layer
 * @param {object[]} patterns
 * @param {string[]} [paths]
 */
function layerRule(layer, patterns, paths = []) {
  return {
    files: [`src/${layer}/**/*.{ts,tsx,cts}`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: paths.map((name) => ({
            name,
            message: NODE_BUILTINS.includes(name)
              ? `src/${layer} may not import the Node built-in ${name}: reach it through a port.`
              : `src/${layer} may not import ${name}.`,
          })),
          patterns,
        },
      ],
    },
  };
}

const except = (/** @type {string[]} */ ...allowed) => LAYERS.filter((l) => !allowed.includes(l));

const NAMED_EXPORTS_ONLY = { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' };

/** Electron windows are built from appWindowOptions() and never with a protection turned off. */
const WINDOW_HARDENING = [
  {
    selector: "NewExpression[callee.name='BrowserWindow'][arguments.0.callee.name!='appWindowOptions']",
    message: 'Create windows with appWindowOptions() from src/shared/window-security.ts.',
  },
  {
    selector:
      'Property[key.name=/^(nodeIntegration|nodeIntegrationInWorker|nodeIntegrationInSubFrames|webviewTag|allowRunningInsecureContent|enableRemoteModule)$/][value.value=true]',
    message: 'This turns off a protection of the app window.',
  },
  {
    selector: 'Property[key.name=/^(sandbox|contextIsolation|webSecurity)$/][value.value=false]',
    message: 'This turns off a protection of the app window.',
  },
];

/**
 * src/engine and src/shared run under any host and in tests that control time: they get time
 * and timers from the Clock port only and take nothing from Node's globals. `globalThis.setTimeout`
 * and the like are caught too (`window` and `self` do not type-check outside the renderer).
 */
const FROM_CLOCK = 'src/engine and src/shared get time and timers from the Clock port (src/engine/ports.ts)';

const HOST_GLOBALS = {
  globals: [
    ...['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'].map(
      (name) => ({ name, message: `${FROM_CLOCK}: use clock.sleep(ms, signal).` }),
    ),
    { name: 'performance', message: `${FROM_CLOCK}: use clock.now().` },
    {
      name: 'process',
      message: 'src/engine and src/shared run under any host: take the value as an argument.',
    },
    { name: 'Buffer', message: "Buffer is Node's; src/engine and src/shared use Uint8Array." },
    {
      name: 'global',
      message: "Node's global object; src/engine and src/shared take nothing from the host.",
    },
  ],
  checkGlobalObject: true,
};

const WALL_CLOCK_PROPERTIES = [
  { object: 'Date', property: 'now', message: `${FROM_CLOCK}: use clock.now().` },
];

const WALL_CLOCK_SYNTAX = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: `new Date() reads the wall clock; ${FROM_CLOCK}: use new Date(clock.now()).`,
  },
  {
    selector: "CallExpression[callee.name='Date']",
    message: `Date() reads the wall clock; ${FROM_CLOCK}: use new Date(clock.now()).`,
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-syntax': ['error', NAMED_EXPORTS_ONLY],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // CommonJS sources (the sandboxed preload) load electron with require().
    files: ['**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tool configs are loaded through their default export.
    files: ['*.config.{js,ts}'],
    rules: { 'no-restricted-syntax': 'off' },
  },

  {
    files: ['src/main/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', NAMED_EXPORTS_ONLY, ...WINDOW_HARDENING] },
  },
  {
    // A later entry's options replace an earlier one's, so named exports are restated here.
    files: ['src/{engine,shared}/**/*.{ts,tsx,cts}'],
    rules: {
      'no-restricted-globals': ['error', HOST_GLOBALS],
      'no-restricted-properties': ['error', ...WALL_CLOCK_PROPERTIES],
      'no-restricted-syntax': ['error', NAMED_EXPORTS_ONLY, ...WALL_CLOCK_SYNTAX],
    },
  },

  // shared: pure; imports nothing but itself.
  layerRule('shared', [
    intoLayers(except('shared')),
    { regex: '^[^.]', caseSensitive: true, message: 'src/shared imports nothing but itself.' },
  ]),
  // engine: shared only; every effect is a port.
  layerRule('engine', [intoLayers(except('shared', 'engine'))], [...IO_PACKAGES, ...NODE_BUILTINS]),
  // node: adapters implementing the engine's ports. electron-store loads Electron: main builds it.
  layerRule('node', [intoLayers(except('shared', 'engine', 'node'))], ['electron', 'electron-store']),
  // main: the Electron composition root.
  layerRule('main', [intoLayers(['renderer', 'cli', 'sandbox', 'preload'])]),
  // cli: the headless composition root; never Electron.
  layerRule('cli', [intoLayers(['main', 'preload', 'renderer'])], ['electron', 'electron-store']),
  // preload: the typed contract and contextBridge/ipcRenderer, nothing else.
  layerRule(
    'preload',
    [
      intoLayers(except('shared', 'preload')),
      {
        regex: '^(?!electron$)[^.]',
        caseSensitive: true,
        message: 'src/preload imports only shared and electron.',
      },
    ],
    NODE_BUILTINS,
  ),
  // renderer: talks to the host only through the contract in shared.
  layerRule('renderer', [intoLayers(except('shared', 'renderer'))], ['electron', ...NODE_BUILTINS]),
  // sandbox: the vendor's side stands alone; it may share shared/ types.
  layerRule('sandbox', [intoLayers(except('shared', 'sandbox'))], ['electron']),
);
