// Lint rules for every workspace. The error policy (vxsuite-style): bugs throw, expected failures
// are values with stable codes; `any` and unchecked non-null assertions are not allowed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/src/generated/**',
      '**/.turbo/**',
      '**/.data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportDefaultDeclaration',
          message: 'Named exports only (conventions, practice 7).',
        },
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read settings through @hpe/config, once per app (conventions, practice 10).',
        },
      ],
    },
  },
  {
    // Configuration files and the config package itself are where process.env is read; tests and
    // their helpers hand it on to the processes they start.
    files: [
      '**/*.config.ts',
      'vitest.*.ts',
      'packages/config/src/**',
      '**/*.test.ts',
      '**/*.test-support.ts',
      'packages/embedded/src/**',
      'packages/test-kit/src/**',
      'tools/**/src/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
