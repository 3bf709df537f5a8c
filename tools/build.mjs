// Transpiles every TypeScript source of the workspace (libs, services, deploy, bench) into dist/,
// rewriting the tsconfig path aliases to relative requires. Type checking is `npm run typecheck`.
import { transformFile } from '@swc/core';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

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
        const output = await transformFile(file, {
          swcrc: false,
          sourceMaps: 'inline',
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
            keepClassNames: true,
            baseUrl: root,
            paths: compilerOptions.paths,
          },
          module: { type: 'commonjs' },
        });
        const target = join(root, 'dist', relative(root, file)).replace(/\.ts$/, '.js');
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, output.code);
      })(),
    );
  }
}
await Promise.all(jobs);
console.log(`built ${jobs.length} files into dist/ in ${Date.now() - started} ms`);
