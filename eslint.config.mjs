// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '*.config.js', '*.config.mjs', '.dependency-cruiser.cjs', 'test/summary-reporter.js', 'test/setup-env.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // The core must not reach for process globals; src/config.ts is the only reader of process.env.
    files: ['src/**/*.ts', 'handlers/**/*.ts'],
    ignores: ['src/config.ts', 'src/bin/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.ts (loadConfig).' }],
    },
  },
  {
    files: ['src/diagnosis/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: 'The diagnosis core is pure: take what it needs as arguments.' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
