// Compiles apps/, libs/ and tools/ to dist/ with swc (about a second) and links the @cc/* libs so
// `node dist/apps/<service>/src/main.js` resolves them. Type checking is `npm run typecheck`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const swc = join(root, 'node_modules', '.bin', 'swc');
execFileSync(swc, ['apps', 'libs', 'tools', '-d', 'dist', '--config-file', '.swcrc', '--ignore', '**/*.spec.ts', '--quiet'], {
  cwd: root,
  stdio: 'inherit',
});
const scope = join(dist, 'node_modules', '@cc');
mkdirSync(scope, { recursive: true });
for (const lib of readdirSync(join(dist, 'libs'))) {
  const target = join(dist, 'libs', lib, 'src');
  if (existsSync(join(target, 'index.js'))) symlinkSync(relative(scope, target), join(scope, lib));
}
