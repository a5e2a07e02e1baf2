// Lint rules that keep the architecture honest: Nx module boundaries by tag (apps -> libs, domain
// code without I/O), plus typescript-eslint's recommended set.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const IO_PACKAGES = ['@nestjs/*', 'typeorm', 'bullmq', 'ioredis', 'nats', 'pg', '@kurrent/*', '@eventstore/*', '@cc/event-store', '@cc/messaging', '@cc/platform'];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/*.js', '**/*.mjs', 'bench/results'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Domain code is pure: no framework, no database, no broker, no clock hidden in an adapter.
    files: ['apps/*/src/domain/**/*.ts', 'libs/scheduling/**/*.ts', 'libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: IO_PACKAGES.map((group) => ({ group: [group], message: 'domain and contracts code must not do I/O' })) }],
    },
  },
];
