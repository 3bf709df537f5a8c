/**
 * Deepest nesting of objects and arrays a request body may have. Every body the API knows fits
 * well within it (a job's rollout is 4 levels deep, free JSON such as tags and operation values at
 * most 32 levels below its field); a deeper body is refused before it is parsed, because the
 * recursive copies and checks after parsing would run out of stack on it.
 */
export const MAX_BODY_NESTING = 64;

/** Segments of the path named in the answer: enough to find the field, short enough to read. */
const NAMED_SEGMENTS = 3;

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

interface Frame {
  array: boolean;
  index: number;
  keyStart: number;
  keyEnd: number;
  expectingKey: boolean;
}

/**
 * The path of the field where `json` (UTF-8 bytes) nests deeper than `maxDepth`, or null when it
 * does not. One pass over the bytes, no parsing: only brackets outside strings are counted, and
 * only the first levels' keys and indexes are remembered, to name the field. Malformed JSON is
 * left to the parser.
 */
export function tooDeepField(json: Uint8Array, maxDepth = MAX_BODY_NESTING): string | null {
  const frames: Frame[] = [];
  let depth = 0;
  let inString = false;
  let stringStart = 0;
  for (let i = 0; i < json.length; i++) {
    const byte = json[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) {
        inString = false;
        const frame = depth <= NAMED_SEGMENTS ? frames[depth - 1] : undefined;
        if (frame && !frame.array && frame.expectingKey) {
          frame.keyStart = stringStart;
          frame.keyEnd = i + 1;
        }
      }
      continue;
    }
    switch (byte) {
      case QUOTE:
        inString = true;
        stringStart = i;
        break;
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        depth++;
        if (depth > maxDepth) return pathOf(json, frames.slice(0, Math.min(depth - 1, NAMED_SEGMENTS)));
        if (depth <= NAMED_SEGMENTS) frames[depth - 1] = { array: byte === OPEN_ARRAY, index: 0, keyStart: -1, keyEnd: -1, expectingKey: true };
        break;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        depth = Math.max(0, depth - 1);
        break;
      case COMMA:
        if (depth >= 1 && depth <= NAMED_SEGMENTS) {
          const frame = frames[depth - 1];
          frame.index++;
          frame.expectingKey = true;
        }
        break;
      case COLON:
        if (depth >= 1 && depth <= NAMED_SEGMENTS) frames[depth - 1].expectingKey = false;
        break;
    }
  }
  return null;
}

function pathOf(json: Uint8Array, frames: Frame[]): string {
  let path = '';
  for (const frame of frames) {
    if (frame.array) {
      path += `[${frame.index}]`;
      continue;
    }
    if (frame.keyStart < 0) break;
    let key: string;
    try {
      key = JSON.parse(Buffer.from(json.subarray(frame.keyStart, frame.keyEnd)).toString('utf8')) as string;
    } catch {
      break;
    }
    path += path ? `.${key}` : key;
  }
  return path === '' || path.startsWith('[') ? `body${path}` : path;
}
