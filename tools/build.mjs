// Transpiles every TypeScript source of the workspace (libs, services, deploy, bench) into dist/,
// rewriting the tsconfig path aliases to relative requires. Type checking is `npm run typecheck`.
import { transformFile } from '@swc/core';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import swcOptions from './swc-options.cjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const sourceRoots = ['libs', 'services', 'deploy', 'bench'];
const skipped = /(\.spec|\.int-spec|\.e2e-spec)\.ts$|\.d\.ts$/;

async function* tsFiles(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (['node_modules', 'dist', 'dashboard', '__fixtures__'].includes(entry.name)) continue;
      yield* tsFiles(path);
    } else if (entry.name.endsWith('.ts') && !skipped.test(entry.name)) {
      yield path;
    }
  }
}

const started = Date.now();
const jobs = [];
for (const sourceRoot of sourceRoots) {
  for await (const file of tsFiles(join(root, sourceRoot))) {
    jobs.push(
      (async () => {
        const output = await transformFile(file, swcOptions({ baseUrl: root, paths: compilerOptions.paths }));
        const target = join(root, 'dist', relative(root, file)).replace(/\.ts$/, '.js');
        // Builds may run while processes load dist/ (test stages side by side): a file is replaced
        // whole, by a rename, and only when it changed.
        if ((await readFile(target, 'utf8').catch(() => null)) === output.code) return;
        await mkdir(dirname(target), { recursive: true });
        const staged = `${target}.${process.pid}.tmp`;
        await writeFile(staged, output.code);
        await rename(staged, target);
      })(),
    );
  }
}
await Promise.all(jobs);
console.log(`built ${jobs.length} files into dist/ in ${Date.now() - started} ms`);

// The dashboard is rebuilt only when its sources are newer than its build (or when asked).
const dashboardIndex = join(root, 'dist', 'dashboard', 'index.html');
const newestSource = async (dir) => {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestSource(path) : (await stat(path)).mtimeMs);
  }
  return newest;
};
const dashboardRoot = join(root, 'services', 'dashboard');
const builtAt = await stat(dashboardIndex).then((s) => s.mtimeMs, () => 0);
if (process.argv.includes('--dashboard') || builtAt < (await newestSource(dashboardRoot).catch(() => 0))) {
  const dashboardStarted = Date.now();
  const { build } = await import('vite');
  await build({ configFile: join(dashboardRoot, 'vite.config.ts'), logLevel: 'warn' });
  console.log(`built the dashboard into dist/dashboard in ${Date.now() - dashboardStarted} ms`);
}
