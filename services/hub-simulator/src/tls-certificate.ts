import { generate } from 'selfsigned';

/** A PEM key and certificate for the simulator's HTTPS listener. */
export interface TlsMaterial {
  key: string;
  cert: string;
}

const VALIDITY_DAYS = 3650;

/**
 * A self-signed certificate for CN=localhost with SAN DNS:localhost and IP:127.0.0.1. It is its own
 * CA, so clients trust it by passing the certificate as `ca`.
 */
export async function generateTlsMaterial(): Promise<TlsMaterial> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + VALIDITY_DAYS * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
