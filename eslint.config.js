import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const moduleBoundary = {
  group: ['**/modules/*/*', '!**/modules/*/index.ts'],
  message: 'Importe un módulo solo por su index.ts (src/modules/<modulo>/index.ts).',
};

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'coverage', '.bench', '.scratch'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [moduleBoundary] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            moduleBoundary,
            {
              // A sibling module reached by path ("../loans/x.ts") instead of its index.ts.
              regex: '^\\.\\./(?!\\.\\./)[^/]+/(?!index\\.ts$)',
              message: 'Importe otro módulo solo por su index.ts.',
            },
          ],
        },
      ],
    },
  },
);
