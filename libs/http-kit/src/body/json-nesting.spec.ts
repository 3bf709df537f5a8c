import { MAX_BODY_NESTING, tooDeepField } from './json-nesting';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const objects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('tooDeepField', () => {
  it('lets a body nested exactly to the limit through', () => {
    expect(tooDeepField(bytes(arrays(MAX_BODY_NESTING)))).toBeNull();
    expect(tooDeepField(bytes(objects(MAX_BODY_NESTING)))).toBeNull();
  });

  it('refuses one level more, naming the body when the top level is the culprit', () => {
    expect(tooDeepField(bytes(arrays(MAX_BODY_NESTING + 1)))).toBe('body[0][0][0]');
  });

  it('names the field a 10,000-level value sits in, down to three levels', () => {
    const body = `{"displayName":"J","operations":[{"type":"command","name":"reboot","value":${objects(10_000)}}]}`;
    expect(tooDeepField(bytes(body))).toBe('operations[0].value');
    expect(tooDeepField(bytes(`{"tags":${objects(10_000)}}`))).toBe('tags.a.a');
    expect(tooDeepField(bytes(`{"devices":[{},{},${arrays(10_000)}]}`))).toBe('devices[2][0]');
  });

  it('counts no bracket inside a string, escaped quotes included', () => {
    const body = JSON.stringify({ text: `"${'['.repeat(200)}\\"{{{{`, more: '\\' });
    expect(tooDeepField(bytes(body), 2)).toBeNull();
  });

  it('reads keys with escapes and non-ASCII characters when it names them', () => {
    const body = `{"caf\\u00e9 \\"x\\"":{"é":${arrays(10)}}}`;
    expect(tooDeepField(bytes(body), 4)).toBe('café "x".é[0]');
  });

  it('follows the member after earlier siblings and array elements', () => {
    const body = `{"a":[1,[2],{"b":3}],"c":{"d":[${arrays(3)}]}}`;
    expect(tooDeepField(bytes(body), 4)).toBe('c.d[0]');
  });

  it('leaves malformed JSON to the parser', () => {
    expect(tooDeepField(bytes('{"a": ]]]]'))).toBeNull();
    expect(tooDeepField(bytes('"unterminated'))).toBeNull();
  });
});
