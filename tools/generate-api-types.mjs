// `npm run generate:api-types`: the TypeScript types of the REST API, generated from the one contract
// (docs/openapi.yaml) by openapi-typescript into libs/contracts/src/generated/openapi.d.ts. The
// dashboard and the end-to-end clients take their API shapes from there. `--stdout` prints the
// types instead of writing them, `--document <file>` reads another document (both for
// libs/contracts/src/generated/openapi-types.spec.ts, which keeps the committed file fresh).
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const documentOption = process.argv.indexOf('--document');
const DOCUMENT = documentOption > 0 ? pathToFileURL(process.argv[documentOption + 1]) : new URL('../docs/openapi.yaml', import.meta.url);
const TARGET = fileURLToPath(new URL('../libs/contracts/src/generated/openapi.d.ts', import.meta.url));
const HEADER = [
  '/**',
  ' * Generated from docs/openapi.yaml by openapi-typescript: do not edit.',
  ' * Regenerate with `npm run generate:api-types` after changing the document.',
  ' */',
  '',
].join('\n');

// A property with a default is optional in a request body: the server fills it in, the caller may leave it out.
const types = HEADER + astToString(await openapiTS(DOCUMENT, { defaultNonNullable: false }));
if (process.argv.includes('--stdout')) process.stdout.write(types);
else {
  writeFileSync(TARGET, types);
  console.log(`wrote ${TARGET}`);
}
