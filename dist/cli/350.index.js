export const id = 350;
export const ids = [350];
export const modules = {

/***/ 9350:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  RESTORE_USAGE: () => (/* binding */ RESTORE_USAGE),
  restoreMain: () => (/* binding */ restoreMain)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./build/core/errors.js
var errors = __webpack_require__(2807);
// EXTERNAL MODULE: ./build/core/exec/local-executor.js
var local_executor = __webpack_require__(955);
// EXTERNAL MODULE: ./build/core/backup/dump-command.js
var dump_command = __webpack_require__(3323);
;// CONCATENATED MODULE: ./build/core/backup/restore.js
/**
 * Restores a `.sql.gz` backup into a database: the file's sha256 is checked first (against the
 * catalog's value and the sidecar `.sha256`), a non-empty target is refused unless `clean`, and
 * cleaning and restoring happen in one transaction, so a failed restore loses nothing.
 */









class RestoreError extends errors/* BerthError */.e4 {
    name = 'RestoreError';
}
/** Counts the user objects of a database: tables, views, sequences, large objects. */
const USER_OBJECTS_SQL = `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
  AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')) + (SELECT count(*) FROM pg_largeobject_metadata)`;
/** Drops every user schema and large object, then recreates public: run inside the restore's transaction. */
const CLEAN_SQL = `DO $berth$ DECLARE s name; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp%' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
  PERFORM lo_unlink(oid) FROM pg_largeobject_metadata;
  CREATE SCHEMA public;
END $berth$;
`;
async function sha256File(file) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(file), hash);
    return hash.digest('hex');
}
/** The sha256 a sidecar file records, if there is one. */
async function sidecarSha(file) {
    try {
        return (await (0,promises_.readFile)(`${file}.sha256`, 'utf8')).split(/\s+/)[0];
    }
    catch {
        return undefined;
    }
}
async function restoreBackup(file, databaseUrl, options) {
    let actual;
    try {
        actual = await sha256File(file);
    }
    catch (error) {
        throw new RestoreError(`Cannot read backup ${file}: ${error.code ?? error.message}.`);
    }
    for (const [where, expected] of [
        ['the catalog', options.expectedSha256],
        ['its .sha256 file', await sidecarSha(file)],
    ]) {
        if (expected && expected !== actual) {
            throw new RestoreError(`Backup ${file} does not match ${where}: sha256 ${actual}, expected ${expected}. Nothing was restored.`, 'The file is damaged or was replaced: pick another backup.');
        }
    }
    const { url, password } = (0,dump_command/* splitPassword */.wy)(databaseUrl);
    const env = password === undefined ? {} : { PGPASSWORD: password };
    const count = await new local_executor/* LocalExecutor */.n().run(['psql', '--no-password', '--no-psqlrc', '-tA', '-c', USER_OBJECTS_SQL, `--dbname=${url}`], {
        env,
    });
    if (count.code !== 0)
        throw new RestoreError(`Cannot connect to the target database: ${count.stderr.trim()}`);
    const objects = Number(count.stdout.trim());
    if (objects > 0 && !options.clean) {
        throw new RestoreError(`The target database is not empty (${objects} tables, sequences, views or large objects). Nothing was restored.`, 'Restore into a new database, or pass --clean to replace its contents (in one transaction with the restore).');
    }
    const command = (0,dump_command/* restoreCommand */.Od)(databaseUrl);
    const [bin, ...args] = command.argv;
    const child = (0,external_node_child_process_.spawn)(bin ?? 'psql', args, { env: { ...process.env, ...command.env }, stdio: ['pipe', 'ignore', 'pipe'] });
    const stderr = [];
    child.stderr.on('data', (chunk) => void (stderr.length < 64 && stderr.push(chunk)));
    const exited = new Promise((resolve) => {
        child.once('error', () => resolve(null));
        child.once('close', resolve);
    });
    async function* input() {
        if (objects > 0)
            yield Buffer.from(CLEAN_SQL);
        yield* (0,external_node_fs_.createReadStream)(file).pipe((0,external_node_zlib_.createGunzip)());
    }
    const streamed = await (0,external_node_stream_promises_.pipeline)(input, child.stdin).then(() => undefined, (error) => error);
    const code = await exited;
    if (code !== 0 || streamed) {
        const tail = Buffer.concat(stderr).toString().trim().split('\n').slice(-5).join('\n');
        throw new RestoreError(`Restoring ${file} failed (psql exit ${code}): ${tail || streamed?.message}. The transaction was rolled back; the target is as it was.`);
    }
    return { sha256: actual };
}
//# sourceMappingURL=restore.js.map
// EXTERNAL MODULE: ./build/server/config/load-config.js + 7 modules
var load_config = __webpack_require__(1594);
// EXTERNAL MODULE: ./build/server/storage/backup-catalog.js
var backup_catalog = __webpack_require__(122);
// EXTERNAL MODULE: ./build/server/storage/storage.js + 1 modules
var storage_storage = __webpack_require__(8998);
;// CONCATENATED MODULE: ./build/cli/restore-command.js
/** `berth restore <file> --database-url URL [--clean] [--config berth.yml]` */







const RESTORE_USAGE = `Usage: berth restore <file.sql.gz> --database-url postgres://user:pass@host/db [--clean] [--config berth.yml]

Checks the file's sha256 against the server's catalog (with --config or BERTH_CONFIG) and its .sha256 file,
refuses a database that is not empty unless --clean, and restores in one transaction.
The URL may also come from BERTH_DATABASE_URL.
`;
async function restoreMain(argv, env) {
    let parsed;
    try {
        parsed = (0,external_node_util_.parseArgs)({
            args: [...argv],
            options: { 'database-url': { type: 'string' }, clean: { type: 'boolean' }, config: { type: 'string' }, help: { type: 'boolean' } },
            allowPositionals: true,
        });
    }
    catch (error) {
        throw new errors/* InputError */.dz(error.message, RESTORE_USAGE);
    }
    const { values, positionals } = parsed;
    if (values.help) {
        process.stdout.write(RESTORE_USAGE);
        return 0;
    }
    const [file] = positionals;
    const url = values['database-url'] ?? env.BERTH_DATABASE_URL;
    if (!file || positionals.length > 1)
        throw new errors/* InputError */.dz('Give exactly one backup file.', RESTORE_USAGE);
    if (!url || !/^postgres(ql)?:\/\//.test(url))
        throw new errors/* InputError */.dz('Give the target as --database-url postgres://user:pass@host/db.', RESTORE_USAGE);
    const path = (0,external_node_path_.resolve)(file);
    let expectedSha256;
    const configPath = values.config ?? env.BERTH_CONFIG;
    if (configPath) {
        const config = await (0,load_config/* loadConfig */.Z9)(configPath, env);
        const storage = await (0,storage_storage/* openStorage */.Gz)(config.storage);
        try {
            expectedSha256 = (await new backup_catalog/* BackupCatalog */.S(storage).byFile(path))?.sha256 ?? undefined;
        }
        finally {
            await storage.close();
        }
    }
    process.stderr.write(`Restoring ${path}${expectedSha256 ? ' (sha256 checked against the catalog)' : ''} …\n`);
    const { sha256 } = await restoreBackup(path, url, { clean: values.clean === true, expectedSha256 });
    process.stdout.write(`restored ${path} (sha256 ${sha256})\n`);
    return 0;
}
//# sourceMappingURL=restore-command.js.map

/***/ })

};
