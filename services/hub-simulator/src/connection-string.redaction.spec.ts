import { redactConnectionString } from './connection-string.redaction';

describe('redactConnectionString', () => {
  it('hides the key and keeps the host and policy', () => {
    const key = 'c2VjcmV0LWtleS1vZi10aGUtaHViLXNpbXVsYXRvcg==';
    const redacted = redactConnectionString(`HostName=127.0.0.1:8443;SharedAccessKeyName=iothubowner;SharedAccessKey=${key}`);
    expect(redacted).toBe('HostName=127.0.0.1:8443;SharedAccessKeyName=iothubowner;SharedAccessKey=<redacted>');
    expect(redacted).not.toContain(key);
  });

  it('hides a key written in any case and a signature', () => {
    expect(redactConnectionString('sharedaccesskey=abc;HostName=h')).toBe('sharedaccesskey=<redacted>;HostName=h');
    expect(redactConnectionString('HostName=h;SharedAccessSignature=SharedAccessSignature sr=h&sig=x')).toBe(
      'HostName=h;SharedAccessSignature=<redacted>',
    );
  });
});
