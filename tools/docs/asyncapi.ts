// `npm run docs:asyncapi`: writes docs/asyncapi.json, generated from libs/contracts (the same document
// every service serves at /docs/asyncapi.json next to its OpenAPI).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsyncApiDocument, EVENT_CATALOG } from '@cc/contracts';

const root = join(__dirname, '..', '..', '..');
const document = buildAsyncApiDocument(EVENT_CATALOG, { version: process.env.npm_package_version ?? '0.1.0' });
mkdirSync(join(root, 'docs'), { recursive: true });
const target = join(root, 'docs', 'asyncapi.json');
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
const count = Object.keys(document.channels as object).length;
process.stdout.write(`wrote ${target}: ${count} channels\n`);
