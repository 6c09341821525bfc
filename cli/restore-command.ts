/** `berth restore <file> --database-url URL [--clean] [--config berth.yml]` */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { restoreBackup } from '../core/backup/restore.js';
import { InputError } from '../core/errors.js';
import { loadConfig } from '../server/config/load-config.js';
import { BackupCatalog } from '../server/storage/backup-catalog.js';
import { openStorage } from '../server/storage/storage.js';

export const RESTORE_USAGE = `Usage: berth restore <file.sql.gz> --database-url postgres://user:pass@host/db [--clean] [--config berth.yml]

Checks the file's sha256 against the server's catalog (with --config or BERTH_CONFIG) and its .sha256 file,
refuses a database that is not empty unless --clean, and restores in one transaction.
The URL may also come from BERTH_DATABASE_URL.
`;

export async function restoreMain(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { 'database-url': { type: 'string' }, clean: { type: 'boolean' }, config: { type: 'string' }, help: { type: 'boolean' } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new InputError((error as Error).message, RESTORE_USAGE);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(RESTORE_USAGE);
    return 0;
  }
  const [file] = positionals;
  const url = values['database-url'] ?? env.BERTH_DATABASE_URL;
  if (!file || positionals.length > 1) throw new InputError('Give exactly one backup file.', RESTORE_USAGE);
  if (!url || !/^postgres(ql)?:\/\//.test(url))
    throw new InputError('Give the target as --database-url postgres://user:pass@host/db.', RESTORE_USAGE);
  const path = resolve(file);
  let expectedSha256: string | undefined;
  const configPath = values.config ?? env.BERTH_CONFIG;
  if (configPath) {
    const config = await loadConfig(configPath, env);
    const storage = await openStorage(config.storage);
    try {
      expectedSha256 = (await new BackupCatalog(storage).byFile(path))?.sha256 ?? undefined;
    } finally {
      await storage.close();
    }
  }
  process.stderr.write(`Restoring ${path}${expectedSha256 ? ' (sha256 checked against the catalog)' : ''} …\n`);
  const { sha256 } = await restoreBackup(path, url, { clean: values.clean === true, expectedSha256 });
  process.stdout.write(`restored ${path} (sha256 ${sha256})\n`);
  return 0;
}
