// ESLint: meaning, not layout. The layer arrows of DESIGN.md are enforced here, so a wrong import fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';

// Imports that give a layer I/O, a clock of its own, Electron or a database.
const nodeAndElectron = [
  { group: ['node:*'], message: 'core/ and renderer/ stay free of Node APIs: pass what you need in.' },
  { group: ['electron', 'electron/*'], message: 'Only electron/main may import electron.' },
  { group: ['better-sqlite3*'], message: 'Only electron/services touches the database.' },
];
const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'worker_threads',
  'http',
  'https',
  'net',
  'url',
  'stream',
  'zlib',
  'util',
  'buffer',
  'process',
].map((name) => ({
  name,
  message: 'No Node built-ins here: this layer runs in the renderer and in workers too.',
}));

const noElectronOutsideMain = {
  group: ['electron', 'electron/*'],
  message: 'Services, CLI and hub never import electron: they run without it.',
};
const electronPackage = { name: 'electron', message: noElectronOutsideMain.message };
// One door (issue 13, decision 0134): only the store (and its migrations) and the workstation's open, initialise and
// re-key code open the database; the CLI, the api, jobs and everything else reach data through session-checked services.
const databaseOpeners = [
  'electron/services/store/**/*.ts',
  'electron/services/workstation/session/workstation.ts',
  'electron/services/workstation/commands/key-rotation.ts',
];
const oneDoorToTheDatabase = [
  {
    group: ['**/store/database.ts', '**/store/database'],
    importNames: ['openDatabase', 'createDatabase'],
    message:
      'Only the store and the workstation open code open the database: sign in (openWorkstation) and call a service.',
  },
  {
    group: [
      'better-sqlite3',
      'better-sqlite3/*',
      'better-sqlite3-multiple-ciphers',
      'better-sqlite3-multiple-ciphers/*',
    ],
    allowTypeImports: true,
    message: 'Only the store touches SQLite: sign in (openWorkstation) and call a service.',
  },
];

const noEnums = { selector: 'TSEnumDeclaration', message: 'Use a union of string literals: enums are not erasable.' };
const onlyOneIpcDoor = {
  selector: "MemberExpression[object.name='ipcMain']",
  message: 'ipcMain is used only in electron/main/ipc.ts, the one validated-IPC module.',
};
const noClockInCore = {
  selector: "NewExpression[callee.name='Date'][arguments.length=0]",
  message: 'Time is passed in: core is deterministic.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      'scratch/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', noEnums],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': [
        { type: 'core-api', pattern: 'core/api' },
        { type: 'core', pattern: 'core' },
        { type: 'services', pattern: 'electron/services' },
        { type: 'main', pattern: 'electron/main' },
        { type: 'preload', pattern: 'electron/preload' },
        { type: 'cli', pattern: 'electron/cli' },
        { type: 'renderer', pattern: 'renderer' },
        { type: 'hub', pattern: 'hub' },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          policies: [
            {
              from: { element: { type: 'core-api' } },
              disallow: {
                to: { element: { types: { anyOf: ['services', 'main', 'preload', 'cli', 'renderer', 'hub'] } } },
              },
            },
            {
              from: { element: { type: 'core' } },
              disallow: {
                to: { element: { types: { anyOf: ['services', 'main', 'preload', 'cli', 'renderer', 'hub'] } } },
              },
            },
            {
              from: { element: { type: 'services' } },
              disallow: { to: { element: { types: { anyOf: ['main', 'preload', 'cli', 'renderer', 'hub'] } } } },
            },
            {
              from: { element: { type: 'main' } },
              disallow: { to: { element: { types: { anyOf: ['preload', 'cli', 'renderer', 'hub'] } } } },
            },
            {
              from: { element: { type: 'preload' } },
              disallow: {
                to: { element: { types: { anyOf: ['core', 'services', 'main', 'cli', 'renderer', 'hub'] } } },
              },
            },
            {
              from: { element: { type: 'cli' } },
              disallow: { to: { element: { types: { anyOf: ['main', 'preload', 'renderer', 'hub'] } } } },
            },
            {
              from: { element: { type: 'renderer' } },
              disallow: { to: { element: { types: { anyOf: ['services', 'main', 'preload', 'cli', 'hub'] } } } },
            },
            {
              from: { element: { type: 'hub' } },
              disallow: { to: { element: { types: { anyOf: ['main', 'preload', 'cli', 'renderer'] } } } },
            },
          ],
        },
      ],
    },
  },
  {
    files: ['core/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltins, patterns: nodeAndElectron }],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname', 'setImmediate'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time is passed in: core is deterministic.' },
        { object: 'Math', property: 'random', message: 'Randomness is passed in: core is deterministic.' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/cli/**/*.ts'],
    ignores: databaseOpeners,
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectronOutsideMain, ...oneDoorToTheDatabase] }] },
  },
  // The hub (a separate deployable) reaches services by relative paths through electron/services/, so only the
  // electron package itself is refused; its own store (hub/store/, with its own schema) is the only hub code that opens
  // a database.
  {
    files: ['hub/**/*.ts'],
    ignores: ['hub/store/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronPackage], patterns: oneDoorToTheDatabase }] },
  },
  {
    files: ['hub/store/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronPackage] }] },
  },
  {
    files: databaseOpeners,
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectronOutsideMain] }] },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: oneDoorToTheDatabase }] },
  },
  {
    files: ['electron/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx', 'hub/**/*.ts'],
    ignores: ['electron/main/ipc.ts'],
    rules: { 'no-restricted-syntax': ['error', noEnums, onlyOneIpcDoor] },
  },
  {
    files: ['core/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', noEnums, onlyOneIpcDoor, noClockInCore] },
  },
);
