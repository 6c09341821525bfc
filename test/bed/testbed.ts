/** What the test bed set up, as the tests read it (written by run-tests, path in BERTH_TESTBED). */
import { readFileSync } from 'node:fs';

export interface Testbed {
  readonly dir: string;
  readonly user: string;
  readonly home: string;
  readonly password: string;
  /** Client keys: plain ed25519, ed25519 encrypted with `passphrase`, RSA in PEM, and one the server does not know. */
  readonly keys: {
    readonly ed25519: string;
    readonly encrypted: string;
    readonly passphrase: string;
    readonly rsaPem: string;
    readonly unknown: string;
  };
  readonly sshd: { readonly port: number; readonly knownHosts: string; readonly fingerprint: string; readonly logFile: string };
  /** A second sshd, used as a jump host, and as a second host of runs on several. */
  readonly jump: { readonly port: number; readonly knownHosts: string; readonly fingerprint: string; readonly logFile: string };
  /** A third sshd, on 127.0.0.1 and ::1 (its known_hosts lines name both): the third host of runs on several. */
  readonly third: { readonly port: number; readonly knownHosts: string; readonly fingerprint: string; readonly logFile: string };
  readonly docker: boolean;
  /** A superuser URL of the test PostgreSQL. */
  readonly postgresUrl: string;
}

let cached: Testbed | undefined;

export function testbed(): Testbed {
  if (cached) return cached;
  const file = process.env.BERTH_TESTBED;
  if (!file) throw new Error('BERTH_TESTBED is not set: run the tests with `npm test`, which sets up sshd and Docker.');
  cached = JSON.parse(readFileSync(file, 'utf8')) as Testbed;
  return cached;
}
