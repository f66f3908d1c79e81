import {rmSync} from 'node:fs';
import type {BrokerConfigInput} from '../../src/broker/config.js';
import {ensureLocalTls, type LocalTlsFiles} from '../../src/stack/tls-files.js';
import {startTestBroker, tempDir, type TestBroker} from './broker.js';

export interface SecureTestBroker extends TestBroker {
  tls: LocalTlsFiles;
}

/** The local CA of a throwaway KPAT_HOME (created once per call: tests share one per file). */
export function testTlsFiles(): LocalTlsFiles {
  return ensureLocalTls(tempDir('kpat-tls-'));
}

/**
 * A broker on port 0 with a TLS listener (unless `plaintext`) signed by `files`'
 * CA, plus whatever SASL/ACL settings the test gives.
 */
export async function startSecureTestBroker(
  opts: {files?: LocalTlsFiles; plaintext?: boolean; clientAuth?: 'none' | 'required'} & Partial<Omit<BrokerConfigInput, 'tls'>> = {},
): Promise<SecureTestBroker> {
  const {files: given, plaintext = false, clientAuth = 'none', ...overrides} = opts;
  const files = given ?? testTlsFiles();
  const tb = await startTestBroker({
    ...(!plaintext ? {tls: {certFile: files.cert, keyFile: files.key, caFile: files.ca, clientAuth}} : {}),
    ...overrides,
  });
  return {
    ...tb,
    tls: files,
    async stop() {
      await tb.stop();
      if (!given) rmSync(files.dir, {recursive: true, force: true});
    },
  };
}
