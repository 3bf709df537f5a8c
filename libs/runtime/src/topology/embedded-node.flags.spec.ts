import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '../runtime-config';
import { EMBEDDED_NODE_FLAGS } from './embedded-node.flags';
import { ServiceProcess } from './service-process';
import { waitUntil } from './wait-until';

const root = workspaceRoot(__dirname);
const EMBEDDED_COMMAND = `node ${EMBEDDED_NODE_FLAGS.join(' ')} dist/services/embedded/src/main.js`;

describe('the embedded process runs with EMBEDDED_NODE_FLAGS wherever it is started', () => {
  it('from npm start', () => {
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts.start).toBe(`node tools/build.mjs && ${EMBEDDED_COMMAND}`);
  });

  it("from the Nx project's serve target", () => {
    const project = JSON.parse(readFileSync(join(root, 'services', 'embedded', 'project.json'), 'utf8'));
    expect(project.targets.serve.command).toBe(EMBEDDED_COMMAND);
  });

  it('from a ServiceProcess given them, as flags of node itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetjobs-node-flags-'));
    const script = join(dir, 'print-flags.js');
    writeFileSync(
      script,
      `const v8 = require('node:v8');
require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'seen.json'))}, JSON.stringify({ execArgv: process.execArgv, heapLimitMiB: v8.getHeapStatistics().heap_size_limit / 1048576 }));`,
    );
    const child = new ServiceProcess('print-flags', script, { PATH: process.env.PATH }, dir, EMBEDDED_NODE_FLAGS);
    child.start();
    await waitUntil(async () => !child.running, { timeoutMs: 20_000, intervalMs: 50, what: 'the child to exit' });
    const seen = JSON.parse(readFileSync(join(dir, 'seen.json'), 'utf8'));
    expect(seen.execArgv).toEqual(EMBEDDED_NODE_FLAGS);
    // The old generation's limit plus the young generation's (three semi-spaces).
    expect(seen.heapLimitMiB).toBeLessThanOrEqual(256 + 3 * 8);
  });
});
