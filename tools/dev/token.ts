// Prints a bearer token signed with JWT_SECRET (or the dev secret), for curl and the /docs "Authorize" button.
// Usage: node dist/tools/dev/token.js --tenant demo --role ADMIN [--privileges callSlots:read,callLogs:read] [--agent a-1]
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, ROLES, signToken, type Role } from '@cc/platform';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string', default: 'demo' },
      role: { type: 'string', default: 'ADMIN' },
      sub: { type: 'string' },
      privileges: { type: 'string', default: '' },
      agent: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const role = String(values.role).toUpperCase() as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const token = await signToken(
    {
      sub: values.sub ?? `dev-${role.toLowerCase()}@${values.tenant}`,
      tenant: String(values.tenant),
      role,
      privileges: String(values.privileges).split(',').filter(Boolean),
      agentId: values.agent ?? null,
    },
    { secret: process.env.JWT_SECRET ?? DEV_JWT_SECRET, issuer: process.env.JWT_ISSUER ?? 'call-control', expiresIn: String(values.expires) },
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
