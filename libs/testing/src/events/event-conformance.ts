import type { AsyncAPIDocumentInterface, MessageInterface } from '@asyncapi/parser';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { CloudEvent, Kafka, KafkaMessage, ValidationError } from 'cloudevents';

/** A message as a consumer reads it from a topic: key, string headers and the raw value. */
export interface ConsumedMessage {
  /** The topic as the contract names it, without a deployment's namespace prefix. */
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  value: string | null;
}

/** What the document promises about one event type on one channel, compiled once. */
interface MessageContract {
  name: string;
  eventVersion: number | undefined;
  documentedHeaders: Set<string>;
  headers: ValidateFunction;
  payload: ValidateFunction;
}

type EventContract = Map<string, Map<string, MessageContract>>;

/** The CloudEvent attributes the Kafka binding carries in headers of its own (not `ce_<name>`). */
const ATTRIBUTES_OUTSIDE_CE_HEADERS = new Set(['data', 'data_base64', 'partitionkey', 'datacontenttype']);

const contracts = new WeakMap<AsyncAPIDocumentInterface, EventContract>();

/**
 * Everything wrong with one consumed message as the AsyncAPI document describes the topic: read
 * as a consumer would, with the CloudEvents SDK's Kafka binding, then checked against the
 * channel's messages — its type declared there, every header and attribute documented and valid,
 * the key equal to the subject, the event version the documented one, the data valid against
 * the message's payload schema. No violations: an empty list.
 */
export function eventViolations(message: ConsumedMessage, document: AsyncAPIDocumentInterface): string[] {
  const channel = contractOf(document).get(message.topic);
  if (!channel) return [`topic ${message.topic} is not the address of any channel of the document`];

  let event: CloudEvent<unknown>;
  try {
    const kafkaMessage: KafkaMessage<string | null> = { key: message.key ?? '', value: message.value, body: message.value, headers: message.headers };
    event = Kafka.toEvent(kafkaMessage) as CloudEvent<unknown>;
    event.validate();
  } catch (error) {
    return [`not a valid CloudEvent for the SDK's Kafka binding: ${describeSdkError(error)}`];
  }

  const contract = channel.get(event.type);
  if (!contract) return [`type ${event.type} is not a message of the channel for ${message.topic} (declared: ${[...channel.keys()].join(', ')})`];

  const violations: string[] = [];
  const at = `${event.type}:`;
  if (!contract.headers(message.headers)) violations.push(...describe(`${at} headers`, contract.headers.errors));
  for (const [attribute, value] of Object.entries(event)) {
    if (value === undefined || ATTRIBUTES_OUTSIDE_CE_HEADERS.has(attribute)) continue;
    if (!contract.documentedHeaders.has(`ce_${attribute}`)) violations.push(`${at} attribute ${attribute} (header ce_${attribute}) is not documented`);
  }
  for (const header of Object.keys(message.headers)) {
    if (!header.startsWith('ce_') && !contract.documentedHeaders.has(header)) violations.push(`${at} header ${header} is not documented`);
  }
  if (event.subject !== (message.key ?? undefined)) violations.push(`${at} the key ${JSON.stringify(message.key)} is not the subject ${JSON.stringify(event.subject)}`);
  const version = (event as unknown as Record<string, unknown>).eventversion;
  if (contract.eventVersion !== undefined && version !== undefined && Number(version) !== contract.eventVersion) {
    violations.push(`${at} event version ${String(version)} is not the documented x-event-version ${contract.eventVersion}`);
  }
  if (!contract.payload(event.data)) violations.push(...describe(`${at} data`, contract.payload.errors));
  return violations;
}

function contractOf(document: AsyncAPIDocumentInterface): EventContract {
  const cached = contracts.get(document);
  if (cached) return cached;
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  const contract: EventContract = new Map();
  for (const channel of document.channels().all()) {
    const address = channel.address();
    if (!address) continue;
    const messages = new Map<string, MessageContract>();
    for (const message of channel.messages().all()) {
      const compiled = compileMessage(ajv, message);
      messages.set(compiled.name, compiled);
    }
    contract.set(address, messages);
  }
  contracts.set(document, contract);
  return contract;
}

function compileMessage(ajv: Ajv, message: MessageInterface): MessageContract {
  const name = message.name() ?? message.id();
  const headersSchema = (message.headers()?.json() ?? { type: 'object' }) as Record<string, unknown>;
  const payloadSchema = (message.payload()?.json() ?? {}) as Record<string, unknown>;
  for (const schema of [headersSchema, payloadSchema]) registerExtensionKeywords(ajv, schema);
  const version = message.extensions().get('x-event-version')?.value();
  return {
    name,
    eventVersion: version === undefined ? undefined : Number(version),
    documentedHeaders: new Set(Object.keys((headersSchema.properties ?? {}) as object)),
    headers: ajv.compile(headersSchema),
    payload: ajv.compile(payloadSchema),
  };
}

/** `x-…` keys (the parser's own `x-parser-schema-id` among them) are annotations, not typos. */
function registerExtensionKeywords(ajv: Ajv, schema: unknown): void {
  if (!schema || typeof schema !== 'object') return;
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-') && !ajv.getKeyword(key)) ajv.addKeyword({ keyword: key, schemaType: ['string', 'number', 'boolean', 'object', 'array'] });
    registerExtensionKeywords(ajv, value);
  }
}

function describe(what: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${what} ${error.instancePath || '/'} ${error.message ?? error.keyword}${paramsOf(error)}`);
}

function paramsOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if ('allowedValues' in params) return ` (${JSON.stringify(params.allowedValues)})`;
  if ('allowedValue' in params) return ` (${JSON.stringify(params.allowedValue)})`;
  if ('additionalProperty' in params) return ` (${String(params.additionalProperty)})`;
  return '';
}

function describeSdkError(error: unknown): string {
  if (error instanceof ValidationError) {
    const details = (error.errors ?? []).map((detail) => (typeof detail === 'string' ? detail : `${detail.instancePath || '/'} ${detail.message ?? detail.keyword}`));
    return [...new Set([error.message.split('\n')[0], ...details])].join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
