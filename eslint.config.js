// ESLint, type-aware (typescript-eslint's recommendedTypeChecked over the whole tree). Findings
// that predate this configuration and lie in code this change does not own are recorded in
// eslint-suppressions.json (ESLint's bulk suppressions): they do not fail the lint, a new finding
// does. scripts/format-all.sh applies the automatic fixes and prunes what was fixed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.opsgraph/', 'src/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  {
    rules: {
      // `async` without `await` is how a handler promises a Promise (fastify routes, loaders).
      '@typescript-eslint/require-await': 'off',
      // `const { secret: _secret, ...rest } = x` drops a field on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The product never loads the simulators or development-only packages: they are absent from
    // the production image. Sandbox mode reaches them by a dynamic import (src/server/sandbox-mode.ts).
    files: ['src/**/*.ts', 'resolvers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fastify', 'tsx', 'vitest', 'playwright-core'].map((name) => ({ name, message: 'a development dependency: absent in production' })),
          patterns: [{ regex: '(^|/)sandbox/', message: 'the product never imports the vendor simulators (sandbox/); state the rule in src/' }],
        },
      ],
    },
  },
  {
    // Tests and benchmarks read JSON bodies typed `any` and assert on them at run time.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } } },
);
