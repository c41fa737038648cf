// Certificates for the sandbox's HTTPS endpoint: a long-lived local CA (what users trust through
// NODE_EXTRA_CA_CERTS) and a short-lived server certificate it signs at every start.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface CertificateAuthority {
  /** PEM file of the CA certificate (the value for NODE_EXTRA_CA_CERTS). */
  caPath: string;
  keyPath: string;
  cert: string;
  key: string;
}

export interface ServerCertificate {
  cert: string;
  key: string;
}

const CA_FILE = 'ca.pem';
const CA_KEY_FILE = 'ca-key.pem';
const CA_LIFETIME_DAYS = 825;
/** A CA that expires sooner than this is replaced rather than reused. */
const CA_MIN_REMAINING_DAYS = 7;
const SERVER_LIFETIME_DAYS = 30;
const DAY_MS = 86_400_000;

/** Loads the CA from `dir`, or creates it there when it is missing, unreadable or about to expire. */
export async function ensureCertificateAuthority(dir: string): Promise<CertificateAuthority> {
  const caPath = path.join(dir, CA_FILE);
  const keyPath = path.join(dir, CA_KEY_FILE);
  const existing = await readUsableAuthority(caPath, keyPath);
  if (existing) return existing;

  const generated = await generate([{ name: 'commonName', value: 'ACR Replica Guard Local Sandbox CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + CA_LIFETIME_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  await mkdir(dir, { recursive: true });
  // Write-then-rename so that a concurrent reader never sees half a file.
  await writeAtomically(keyPath, generated.private, 0o600);
  await writeAtomically(caPath, generated.cert, 0o644);
  return { caPath, keyPath, cert: generated.cert, key: generated.private };
}

/** A certificate for localhost, 127.0.0.1 and ::1, signed by the CA. */
export async function issueServerCertificate(ca: CertificateAuthority): Promise<ServerCertificate> {
  const generated = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY_MS),
    notAfterDate: new Date(Date.now() + SERVER_LIFETIME_DAYS * DAY_MS),
    ca: { key: ca.key, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: generated.cert, key: generated.private };
}

async function readUsableAuthority(
  caPath: string,
  keyPath: string,
): Promise<CertificateAuthority | undefined> {
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(caPath, 'utf8'), readFile(keyPath, 'utf8')]);
  } catch {
    return undefined;
  }
  try {
    const x509 = new X509Certificate(cert);
    const remainingMs = Date.parse(x509.validTo) - Date.now();
    const usable =
      x509.ca && remainingMs > CA_MIN_REMAINING_DAYS * DAY_MS && x509.checkPrivateKey(createPrivateKey(key));
    return usable ? { caPath, keyPath, cert, key } : undefined;
  } catch {
    return undefined;
  }
}

async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, file);
}
