import { createHmac } from 'node:crypto';
import { SasTokenVerifier, signSasToken } from './sas-token.verifier';

const key = Buffer.from('a-test-key-of-thirty-two-bytes!!').toString('base64');
const host = '127.0.0.1:8443';
const now = Date.UTC(2030, 0, 1);
const inAnHour = Math.floor(now / 1000) + 3600;

function verifier(): SasTokenVerifier {
  return new SasTokenVerifier({ sharedAccessKey: key, sharedAccessKeyName: 'iothubowner', resourceUris: [host] });
}

describe('SasTokenVerifier', () => {
  it('accepts a token signed like the azure-iothub SDK signs it (sr verbatim, sig url-encoded)', () => {
    const sig = createHmac('sha256', Buffer.from(key, 'base64')).update(`${host}\n${inAnHour}`).digest('base64');
    const header = `SharedAccessSignature sr=${host}&sig=${encodeURIComponent(sig)}&skn=iothubowner&se=${inAnHour}`;
    expect(verifier().verify(header, now)).toBeNull();
  });

  it('accepts a url-encoded resource uri', () => {
    const header = signSasToken(encodeURIComponent(host), 'iothubowner', key, inAnHour);
    expect(verifier().verify(header, now)).toBeNull();
  });

  it('rejects a token signed with another key', () => {
    const otherKey = Buffer.from('another-key-of-thirty-two-bytes!').toString('base64');
    expect(verifier().verify(signSasToken(host, 'iothubowner', otherKey, inAnHour), now)).toBe('bad-signature');
  });

  it('rejects an expired token, even one it accepted before', () => {
    const v = verifier();
    const header = signSasToken(host, 'iothubowner', key, inAnHour);
    expect(v.verify(header, now)).toBeNull();
    expect(v.verify(header, (inAnHour + 1) * 1000)).toBe('expired');
  });

  it('rejects a token for another hub or another policy', () => {
    expect(verifier().verify(signSasToken('other.azure-devices.net', 'iothubowner', key, inAnHour), now)).toBe('wrong-resource');
    expect(verifier().verify(signSasToken(host, 'service', key, inAnHour), now)).toBe('unknown-policy');
  });

  it('accepts the Host header of the request as the resource', () => {
    const header = signSasToken('localhost:9999', 'iothubowner', key, inAnHour);
    expect(verifier().verify(header, now, 'localhost:9999')).toBeNull();
  });

  it('rejects a tampered expiry', () => {
    const header = signSasToken(host, 'iothubowner', key, inAnHour).replace(`se=${inAnHour}`, `se=${inAnHour + 10}`);
    expect(verifier().verify(header, now)).toBe('bad-signature');
  });

  it('rejects missing and malformed headers', () => {
    expect(verifier().verify(undefined, now)).toBe('missing');
    expect(verifier().verify('Bearer abc', now)).toBe('malformed');
    expect(verifier().verify('SharedAccessSignature sr=x&sig', now)).toBe('malformed');
    expect(verifier().verify(`SharedAccessSignature sr=${host}&sig=abc&skn=iothubowner`, now)).toBe('malformed');
  });
});
