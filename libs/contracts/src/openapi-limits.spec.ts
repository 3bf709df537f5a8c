import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ID_PATTERN } from './ids';
import {
  MAX_BATCH_DEVICES,
  MAX_CONDITIONS,
  MAX_EXPLICIT_DEVICES,
  MAX_JOB_DESCRIPTION,
  MAX_JOB_DISPLAY_NAME,
  MAX_OPERATIONS,
  MAX_PROPERTY_TWIN_BYTES,
  MAX_TAGS_BYTES,
} from './limits';

const document = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'openapi.yaml'), 'utf8');

/** The lines of one schema under `components.schemas`, up to the next schema. */
function schema(name: string): string {
  const start = document.indexOf(`\n    ${name}:\n`, document.indexOf('\n  schemas:\n'));
  if (start < 0) throw new Error(`schema ${name} not found`);
  const rest = document.slice(start + 1);
  const end = rest.slice(1).search(/\n {4}\w+:\n/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

/** The lines of one property of a schema, up to the next property. */
function property(schemaName: string, name: string): string {
  const block = schema(schemaName);
  const start = block.indexOf(`\n        ${name}:\n`);
  if (start < 0) throw new Error(`${schemaName}.${name} not found`);
  const rest = block.slice(start + 1);
  const end = rest.slice(1).search(/\n {8}\w+:\n/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

/** docs/openapi.yaml states the ids and limits the API enforces; these checks keep the two in step. */
describe('docs/openapi.yaml against the ids and limits', () => {
  it('documents the id pattern the API checks', () => {
    expect(schema('Id')).toContain(`pattern: '${ID_PATTERN.source}'`);
  });

  it('documents the job limits', () => {
    expect(property('JobBody', 'devices')).toMatch(new RegExp(`maxItems: ${MAX_EXPLICIT_DEVICES}$`, 'm'));
    expect(property('JobBody', 'devices')).toContain('512 KiB');
    expect(property('JobBody', 'operations')).toMatch(new RegExp(`maxItems: ${MAX_OPERATIONS}$`, 'm'));
    expect(property('JobBody', 'operations')).toContain('128 KiB');
    expect(property('JobBody', 'displayName')).toMatch(new RegExp(`maxLength: ${MAX_JOB_DISPLAY_NAME}$`, 'm'));
    expect(property('JobBody', 'description')).toMatch(new RegExp(`maxLength: ${MAX_JOB_DESCRIPTION}$`, 'm'));
    expect(property('JobOperation', 'value')).toContain('32 KiB');
  });

  it('documents the catalogue limits', () => {
    expect(property('DeviceBatchBody', 'devices')).toMatch(new RegExp(`maxItems: ${MAX_BATCH_DEVICES}$`, 'm'));
    expect(property('DeviceSetBody', 'conditions')).toMatch(new RegExp(`maxItems: ${MAX_CONDITIONS}$`, 'm'));
    expect(property('DeviceSetBody', 'conditions')).toContain('64 KiB');
    expect(schema('Tags')).toContain(`${MAX_TAGS_BYTES / 1024} KiB`);
    expect(property('JobOperation', 'value')).toContain(`${MAX_PROPERTY_TWIN_BYTES / 1024} KiB`);
  });

  it('documents 503 on every operation that reaches a service', () => {
    const paths = document.slice(document.indexOf('\npaths:\n'), document.indexOf('\ncomponents:\n'));
    const missing: string[] = [];
    let path = '';
    let operation: string | null = null;
    let has503 = false;
    const close = () => {
      if (operation && !has503 && path !== '/api/openapi.yaml') missing.push(operation);
    };
    for (const line of paths.split('\n')) {
      const pathMatch = /^ {2}(\/\S+):$/.exec(line);
      const methodMatch = /^ {4}(get|put|post|delete|patch):$/.exec(line);
      if (pathMatch || methodMatch) {
        close();
        operation = null;
        has503 = false;
      }
      if (pathMatch) path = pathMatch[1];
      if (methodMatch) operation = `${methodMatch[1].toUpperCase()} ${path}`;
      if (/^ {8}'503':$/.test(line)) has503 = true;
    }
    close();
    expect(missing).toEqual([]);
    expect(document).toMatch(/ServiceUnavailable:\n(?: {6}.*\n)*? {6}headers:\n {8}Retry-After:/);
  });
});
