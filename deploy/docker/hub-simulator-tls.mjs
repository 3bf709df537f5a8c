// Gives the hub simulator a certificate for the names other containers reach it by (its service
// name), before it starts. The simulator uses the key.pem and cert.pem it finds in
// HUB_SIMULATOR_TLS_DIR, and would otherwise make one for localhost only; it then publishes the
// certificate as ca.pem in the same directory for its clients (HUB_CA_CERT_FILE).
//   HUB_SIMULATOR_TLS_DIR=/dir HUB_SIMULATOR_TLS_NAMES=hub-simulator,localhost node hub-simulator-tls.mjs
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

const dir = process.env.HUB_SIMULATOR_TLS_DIR;
const names = (process.env.HUB_SIMULATOR_TLS_NAMES ?? 'hub-simulator,localhost').split(',').map((n) => n.trim()).filter(Boolean);
if (!dir) throw new Error('HUB_SIMULATOR_TLS_DIR is required');
mkdirSync(dir, { recursive: true });
const certFile = join(dir, 'cert.pem');
const keyFile = join(dir, 'key.pem');

function covers(pem) {
  const altNames = new X509Certificate(pem).subjectAltName ?? '';
  return names.every((name) => altNames.split(', ').includes(`DNS:${name}`));
}

if (existsSync(certFile) && existsSync(keyFile) && covers(readFileSync(certFile, 'utf8'))) {
  console.log(`hub simulator certificate in ${dir} already covers ${names.join(', ')}`);
} else {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: names[0] }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 3650 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...names.map((value) => ({ type: 2, value })), { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert);
  console.log(`hub simulator certificate for ${names.join(', ')} written to ${dir}`);
}
