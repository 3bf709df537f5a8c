import { OPERATION_TYPES } from '@fleetjobs/contracts';
import { UsageError } from '../cli.errors';

/** The flags of `jobs create` that make the job's body. */
export interface JobFlags {
  name?: string;
  description?: string;
  set?: string;
  device?: string[];
  operation?: string[];
}

const OPERATION = new RegExp(`^(${OPERATION_TYPES.join('|')}):([^=]+?)(?:=([\\s\\S]*))?$`);

/**
 * `--operation type:name=value`: the value is read as JSON when it is JSON (`5`, `true`,
 * `{"delay":1}`), else taken as a string; a command without `=value` gets `{}`.
 */
export function parseOperation(text: string): { type: string; name: string; value: unknown } {
  const match = OPERATION.exec(text.trim());
  if (!match) throw new UsageError('--operation', `"${text}" is not type:name=value with type property, setting or command (e.g. setting:fanSpeed=5)`);
  const [, type, name, raw] = match;
  if (raw === undefined) {
    if (type !== 'command') throw new UsageError('--operation', `"${text}" needs a value: ${type}:${name}=<value>`);
    return { type, name, value: {} };
  }
  return { type, name, value: jsonOrString(raw) };
}

function jsonOrString(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * The body of a job: the `--file` body (any field of `PUT /api/jobs/{id}`), with each flag given
 * replacing its field. Only the command line's own shape is checked here; the API checks the rest
 * and names the fields it refuses.
 */
export function jobBody(fileBody: unknown, flags: JobFlags): Record<string, unknown> {
  if (fileBody !== undefined && (!fileBody || typeof fileBody !== 'object' || Array.isArray(fileBody))) {
    throw new UsageError('--file', 'must hold one JSON object, the body of PUT /api/jobs/{id}');
  }
  const body: Record<string, unknown> = { ...((fileBody as Record<string, unknown> | undefined) ?? {}) };
  if (flags.name !== undefined) body.displayName = flags.name;
  if (flags.description !== undefined) body.description = flags.description;
  if (flags.set !== undefined) body.deviceSet = flags.set;
  if (flags.device?.length) body.devices = flags.device.flatMap((ids) => ids.split(',')).map((id) => id.trim()).filter(Boolean);
  if (flags.operation?.length) body.operations = flags.operation.map(parseOperation);
  if (fileBody === undefined) {
    if (body.deviceSet === undefined) throw new UsageError('--set', 'is required (the device set the job runs on), or give --file');
    if (body.operations === undefined) throw new UsageError('--operation', 'is required at least once (e.g. --operation setting:fanSpeed=5), or give --file');
    if (body.displayName === undefined) body.displayName = `Job on ${String(body.deviceSet)}`;
  }
  return body;
}
