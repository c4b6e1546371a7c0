// Entry point of the upstream stub as a child process (atlas-cap target starts it so that the
// stub's timers do not share the target's event loop). Prints one JSON line when listening; exits
// when its parent disconnects or on SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { startUpstreamStub } from './upstream-stub.ts';

const { values } = parseArgs({
  options: {
    median: { type: 'string' },
    p95: { type: 'string' },
    seed: { type: 'string', default: '1' },
    port: { type: 'string', default: '0' },
  },
});
const stub = await startUpstreamStub({
  latencyMs: { median: Number(values.median), p95: Number(values.p95) },
  seed: Number(values.seed),
  port: Number(values.port),
});
process.stdout.write(`${JSON.stringify({ listening: stub.url })}\n`);
const stop = () => {
  void stub.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
