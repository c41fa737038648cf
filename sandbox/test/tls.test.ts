// The sandbox CA: created once, reused while valid, replaced when unusable; server certificates it
// signs are accepted by a TLS client that trusts only that CA.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureCertificateAuthority, issueServerCertificate } from '../tls';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-tls-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('certificate authority', () => {
  it('creates a CA in an empty folder and reuses it on the next start', async () => {
    const first = await ensureCertificateAuthority(dir);
    const second = await ensureCertificateAuthority(dir);

    expect(first.caPath).toBe(path.join(dir, 'ca.pem'));
    expect(new X509Certificate(first.cert).ca).toBe(true);
    expect(second.cert).toBe(first.cert);
  });

  it('replaces a CA whose files are unusable', async () => {
    const original = await ensureCertificateAuthority(dir);
    await writeFile(original.keyPath, 'not a key');

    const replaced = await ensureCertificateAuthority(dir);

    expect(replaced.cert).not.toBe(original.cert);
    expect(new X509Certificate(replaced.cert).checkPrivateKey(createPrivateKey(replaced.key))).toBe(true);
  });

  it('signs a server certificate for localhost, 127.0.0.1 and ::1 that a client trusting the CA accepts', async () => {
    const ca = await ensureCertificateAuthority(dir);
    const certificate = await issueServerCertificate(ca);
    const server = https.createServer(certificate, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(
          { host: '127.0.0.1', port: (server.address() as AddressInfo).port, ca: ca.cert, path: '/' },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve(text));
          },
        )
        .on('error', reject);
    });
    await new Promise((resolve) => server.close(resolve));

    expect(body).toBe('ok');
    expect(new X509Certificate(certificate.cert).subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
  });
});
