import { Registry } from 'azure-iothub';
import { reuseHubSignatures } from './hub-signature.reuse';

const CONNECTION_STRING = 'HostName=hub.example.net;SharedAccessKeyName=iothubowner;SharedAccessKey=a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=';

describe('reuseHubSignatures', () => {
  const signatureOf = (registry: Registry) =>
    (registry as unknown as { _restApiClient: { _config: { sharedAccessSignature: { extend(expiry: number): string } } } })._restApiClient._config.sharedAccessSignature;

  it('signs once a minute instead of once a request, with the expiry of the token it sends', () => {
    const registry = Registry.fromConnectionString(CONNECTION_STRING);
    const original = signatureOf(registry);
    const signed = jest.spyOn(original, 'extend');
    reuseHubSignatures(registry);
    const signature = signatureOf(registry);
    const first = signature.extend(1_000_000);
    expect(signature.extend(1_000_001)).toBe(first);
    expect(signature.extend(1_000_059)).toBe(first);
    expect(first).toContain('se=1000000');
    const next = signature.extend(1_000_060);
    expect(next).toContain('se=1000060');
    expect(signed).toHaveBeenCalledTimes(2);
    // Other uses of the signature read the token last signed.
    expect(String(signature)).toBe(next);
  });

  it('leaves a token given as a string alone', () => {
    const holder = { _restApiClient: { _config: { sharedAccessSignature: 'SharedAccessSignature sr=x&sig=y&se=1' } } };
    reuseHubSignatures(holder);
    expect(holder._restApiClient._config.sharedAccessSignature).toBe('SharedAccessSignature sr=x&sig=y&se=1');
  });
});
