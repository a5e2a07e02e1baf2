// Shared jest settings: @swc/jest with decorator metadata (NestJS DI), @cc/* path aliases.
const path = require('node:path');
const fs = require('node:fs');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@cc/(contracts|event-store|messaging|platform|testing|scheduling)$': path.join(__dirname, 'libs/$1/src/index.ts'),
  },
  // content-disposition (via @fastify/static, used by /docs) ships ESM only: let swc compile it.
  transformIgnorePatterns: ['^(?!.*/node_modules/content-disposition/).*/node_modules/'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  setupFiles: [path.join(__dirname, 'tools/jest/setup.js')],
};
