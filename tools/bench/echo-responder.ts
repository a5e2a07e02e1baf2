// P1's baseline: a plain `nats` subscriber in its own process (as the router is) that answers every
// request at once with a fixed reply of the router's reply size. No Nest, no parsing, no validation.
// Run by the bench: node echo-responder.js <natsUrl> <subject> <replyBytes>
import { connect } from 'nats';

async function main(): Promise<void> {
  const [url, subject, replyBytesArg] = process.argv.slice(2);
  if (!url || !subject) throw new Error('usage: echo-responder <natsUrl> <subject> <replyBytes>');
  const replyBytes = Number(replyBytesArg ?? 0);
  const nc = await connect({ servers: url, name: 'bench-echo-responder' });
  // A JSON reply of exactly replyBytes bytes (the router's reply size), or the request echoed back.
  const fixed = replyBytes > 0 ? new TextEncoder().encode(JSON.stringify({ response: 'x'.repeat(Math.max(0, replyBytes - 15)) })) : null;
  const sub = nc.subscribe(subject, { queue: 'bench-echo' });
  await nc.flush();
  process.stdout.write('ready\n');
  const stop = () => void nc.drain().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  for await (const msg of sub) msg.respond(fixed ?? msg.data);
}

main().catch((error: unknown) => {
  process.stderr.write(`echo responder failed: ${String(error)}\n`);
  process.exit(1);
});
