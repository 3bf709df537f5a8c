/** A token signed this many seconds ago is still sent: it stays valid for almost the hour the SDK asks for. */
const REUSE_SECONDS = 60;

interface Signature {
  extend(expiry: number): string;
}

/** The SDK's REST client's configuration, reached through a private field (as `installHubAgent` does). */
interface ConfigHolder {
  _restApiClient?: { _config?: { sharedAccessSignature?: unknown } };
}

/**
 * The SDK signs a new shared access token (an HMAC over the hub name and an expiry an hour from
 * now) for every request; on the path every device operation takes, that is CPU spent to change
 * the expiry by a second. This makes a Registry or Client reuse a token for a minute. Objects
 * authenticated otherwise (a token string, an Azure AD credential) are left as they are.
 */
export function reuseHubSignatures(sdkObject: object): void {
  const config = (sdkObject as ConfigHolder)._restApiClient?._config;
  const signature = config?.sharedAccessSignature as Partial<Signature> | string | undefined;
  if (!config || !signature || typeof signature === 'string' || typeof signature.extend !== 'function') return;
  const sign = signature.extend.bind(signature);
  let token: string | null = null;
  let signedFor = 0;
  // The original stays the prototype: its other fields and methods (toString) read as before.
  const reusing = Object.create(signature) as Signature;
  reusing.extend = (expiry: number) => {
    if (token === null || expiry - signedFor >= REUSE_SECONDS || expiry < signedFor) {
      token = sign(expiry);
      signedFor = expiry;
    }
    return token;
  };
  config.sharedAccessSignature = reusing;
}
