import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** openapi.d.ts is generated from docs/openapi.yaml; committed, it must be what the document generates today. */
const root = join(__dirname, '..', '..', '..', '..');
const GENERATOR = join(root, 'tools', 'generate-api-types.mjs');
const COMMITTED = join(__dirname, 'openapi.d.ts');

const generate = (...args: string[]) => execFileSync(process.execPath, [GENERATOR, '--stdout', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });

/** The first line where two texts differ, or `null` when they are the same. */
function firstDifference(committed: string, fresh: string): string | null {
  if (committed === fresh) return null;
  const [a, b] = [committed.split('\n'), fresh.split('\n')];
  const line = a.findIndex((text, index) => text !== b[index]);
  const at = line < 0 ? a.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(a[at])}, generated ${JSON.stringify(b[at])} — run npm run generate:api-types`;
}

describe('the generated API types (libs/contracts/src/generated/openapi.d.ts)', () => {
  it('are what docs/openapi.yaml generates today', () => {
    expect(firstDifference(readFileSync(COMMITTED, 'utf8'), generate())).toBeNull();
  }, 60_000);

  it('would be stale after a change to the document: a new field of Job shows up in a fresh generation', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fleetjobs-openapi-'));
    try {
      const document = readFileSync(join(root, 'docs', 'openapi.yaml'), 'utf8');
      const jobAt = document.indexOf('\n    Job:\n');
      const propertiesAt = document.indexOf('\n      properties:\n', jobAt) + '\n      properties:\n'.length;
      expect(jobAt).toBeGreaterThan(0);
      const changed = `${document.slice(0, propertiesAt)}        addedForTheTest:\n          type: string\n${document.slice(propertiesAt)}`;
      writeFileSync(join(folder, 'openapi.yaml'), changed);
      const fresh = generate('--document', join(folder, 'openapi.yaml'));
      expect(fresh).toContain('addedForTheTest?: string;');
      expect(firstDifference(readFileSync(COMMITTED, 'utf8'), fresh)).toMatch(/^line \d+: .* run npm run generate:api-types$/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
