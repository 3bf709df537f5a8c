import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ACCESS_EVENT_READERS } from './access/access-events';
import { DataReader } from './data-reader';
import { DEVICE_EVENT_READERS } from './devices/device-events';
import { CE_HEADERS } from './envelope';
import { JOB_EVENT_READERS } from './jobs/job-events';
import { CURRENT_EVENT_VERSION } from './parse-event';
import { DEVICE_OUTCOME_TYPES, TOPICS } from './topics';

/**
 * The AsyncAPI file is the public description of the events (PRODUCT.md §3). These checks tie
 * it to the readers the services use, so an event type or a data field cannot be added, renamed
 * or dropped in code without the document following.
 */

/** One mapping key of the document: its inline value, nested keys and block-sequence items. */
interface YamlNode {
  value: string;
  children: Map<string, YamlNode>;
  items: string[];
}

/**
 * An outline of a block-style YAML document: mappings nested by indentation, block scalars
 * skipped, sequence items kept as raw text. Enough for a document written in that style.
 */
function outline(text: string): YamlNode {
  const root: YamlNode = { value: '', children: new Map(), items: [] };
  const stack: { indent: number; node: YamlNode }[] = [{ indent: -1, node: root }];
  let blockScalarIndent: number | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    const indent = line.length - line.trimStart().length;
    if (blockScalarIndent !== null) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = null;
    }
    while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
    const parent = stack[stack.length - 1].node;
    const content = line.trim();
    if (content.startsWith('- ')) {
      parent.items.push(content.slice(2));
      continue;
    }
    const match = /^([^\s:'"][^:]*|'[^']*'):(?:\s+(.*))?$/.exec(content);
    if (!match) throw new Error(`unexpected line in the outline: ${line}`);
    const key = match[1].replace(/^'(.*)'$/, '$1');
    const value = match[2] ?? '';
    const node: YamlNode = { value, children: new Map(), items: [] };
    parent.children.set(key, node);
    if (/^[|>][+-]?$/.test(value)) blockScalarIndent = indent;
    else stack.push({ indent, node });
  }
  return root;
}

function at(node: YamlNode, ...path: string[]): YamlNode {
  return path.reduce((current, key) => {
    const next = current.children.get(key);
    if (!next) throw new Error(`the document has no "${path.join('.')}" (missing "${key}")`);
    return next;
  }, node);
}

const unquote = (value: string) => value.trim().replace(/^'(.*)'$/, '$1');
const flowList = (value: string) =>
  value.trim().replace(/^\[|\]$/g, '').split(',').map(unquote).filter(Boolean);

/** Follows `$ref: '#/components/schemas/X'` to the schema it names. */
function resolve(document: YamlNode, schema: YamlNode): YamlNode {
  const ref = schema.children.get('$ref');
  if (!ref) return schema;
  const path = unquote(ref.value).replace(/^#\//, '').split('/');
  return resolve(document, at(document, ...path));
}

/** Property paths of a schema (`operations.type` for an array's items) and the required ones. */
function documentedFields(document: YamlNode, schema: YamlNode, prefix = ''): { all: Set<string>; required: Set<string> } {
  const all = new Set<string>();
  const required = new Set<string>();
  const resolved = resolve(document, schema);
  const requiredList = resolved.children.get('required');
  for (const name of requiredList ? flowList(requiredList.value) : []) required.add(prefix + name);
  for (const [name, property] of resolved.children.get('properties')?.children ?? []) {
    all.add(prefix + name);
    if (property.children.has('properties')) {
      // An object written inline is read field by field (`DataReader.nested`).
      const nested = documentedFields(document, property, `${prefix}${name}.`);
      nested.all.forEach((field) => all.add(field));
      nested.required.forEach((field) => required.add(field));
    }
    const items = resolve(document, property).children.get('items');
    if (!items) continue;
    const nested = documentedFields(document, items, `${prefix}${name}.`);
    nested.all.forEach((field) => all.add(field));
    nested.required.forEach((field) => required.add(field));
  }
  return { all, required };
}

/**
 * Runs a reader against a recorder that stands in for `DataReader` and notes each field read:
 * strict getters make a field required, lenient ones (optional, any, nullable) do not.
 */
function fieldsReadBy(read: (reader: DataReader) => unknown): { all: Set<string>; required: Set<string> } {
  const all = new Set<string>();
  const required = new Set<string>();
  const recorder = (prefix: string): DataReader => {
    const note = (field: string, strict: boolean) => {
      all.add(prefix + field);
      if (strict) required.add(prefix + field);
    };
    const reader = {
      string: (field: string) => (note(field, true), 'property'),
      optionalString: (field: string) => (note(field, false), undefined),
      number: (field: string) => (note(field, true), 0),
      boolean: (field: string) => (note(field, true), false),
      stringArrayOrNull: (field: string) => (note(field, false), null),
      object: (field: string) => (note(field, true), {}),
      nested: (field: string) => (note(field, true), recorder(`${prefix}${field}.`)),
      any: (field: string) => (note(field, false), null),
      has: (field: string) => (note(field, false), false),
      array: (field: string, readItem: (item: DataReader, index: number) => unknown) => {
        note(field, true);
        return [readItem(recorder(`${prefix}${field}.`), 0)];
      },
    };
    return reader as unknown as DataReader;
  };
  read(recorder(''));
  return { all, required };
}

function workspaceRoot(): string {
  let directory = __dirname;
  while (!existsSync(join(directory, 'nx.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('no nx.json above this file');
    directory = parent;
  }
  return directory;
}

const text = readFileSync(join(workspaceRoot(), 'docs', 'asyncapi.yaml'), 'utf8');
const document = outline(text);

const topics = [
  { channel: 'jobs', address: TOPICS.jobs, readers: JOB_EVENT_READERS as Record<string, (r: DataReader) => unknown> },
  {
    channel: 'jobLifecycle',
    address: TOPICS.jobLifecycle,
    readers: Object.fromEntries(Object.entries(JOB_EVENT_READERS).filter(([type]) => !DEVICE_OUTCOME_TYPES.includes(type))) as Record<string, (r: DataReader) => unknown>,
  },
  { channel: 'devices', address: TOPICS.devices, readers: DEVICE_EVENT_READERS as Record<string, (r: DataReader) => unknown> },
  { channel: 'access', address: TOPICS.access, readers: ACCESS_EVENT_READERS as Record<string, (r: DataReader) => unknown> },
];

describe('docs/asyncapi.yaml', () => {
  it('is an AsyncAPI 3 document', () => {
    expect(at(document, 'asyncapi').value).toMatch(/^3\.\d+\.\d+$/);
  });

  it('names every header of the CloudEvents binary binding the services write', () => {
    const headers = at(document, 'components', 'messageTraits', 'CloudEvent', 'headers', 'properties');
    expect([...headers.children.keys()].sort()).toEqual(Object.values(CE_HEADERS).sort());
  });

  describe.each(topics)('channel $channel', ({ channel, address, readers }) => {
    it(`has the address ${address}`, () => {
      expect(at(document, 'channels', channel, 'address').value).toBe(address);
    });

    it('lists exactly the event types the code reads on that topic, in the channel and its operation', () => {
      const listed = [...at(document, 'channels', channel, 'messages').children.keys()].sort();
      expect(listed).toEqual(Object.keys(readers).sort());
      const operation = [...at(document, 'operations').children.values()].find(
        (candidate) => unquote(at(candidate, 'channel', '$ref').value) === `#/channels/${channel}`,
      );
      const sent = (operation ? at(operation, 'messages').items : []).map((item) => unquote(item.replace(/^\$ref:/, '')).split('/').pop());
      expect(sent.sort()).toEqual(Object.keys(readers).sort());
    });

    it.each(Object.keys(readers))('documents %s with its name, version and every data field its reader reads', (type) => {
      const message = resolve(document, at(document, 'channels', channel, 'messages', type));
      expect(at(message, 'name').value).toBe(type);
      expect(Number(at(message, 'x-event-version').value)).toBe(CURRENT_EVENT_VERSION);

      const documented = documentedFields(document, at(message, 'payload'));
      const read = fieldsReadBy(readers[type]);
      expect([...documented.all].sort()).toEqual([...read.all].sort());
      const undocumentedRequired = [...read.required].filter((field) => !documented.required.has(field));
      expect(undocumentedRequired).toEqual([]);
    });
  });

  it('fails when an event type is missing from the document', () => {
    const withoutJobStopped = outline(text.replace(/^ {6}JobStopped:\n.*\n/m, ''));
    const listed = [...at(withoutJobStopped, 'channels', 'jobs', 'messages').children.keys()];
    expect(listed).not.toContain('JobStopped');
    expect(listed.sort()).not.toEqual(Object.keys(JOB_EVENT_READERS).sort());
  });
});
