export const id = 569;
export const ids = [569];
export const modules = {

/***/ 1569:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  serverMain: () => (/* binding */ serverMain),
  startServer: () => (/* binding */ startServer)
});

// EXTERNAL MODULE: ./node_modules/@hono/node-server/dist/index.mjs + 2 modules
var dist = __webpack_require__(6652);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./build/core/errors.js
var errors = __webpack_require__(2807);
;// CONCATENATED MODULE: ./build/server/alerts/alert-events.js
/**
 * The seam between what happens (a check goes down, a backup fails) and who hears about it.
 * Checks and backups call `raise(event)`; delivery (chat channels, an outbox, retries) lives
 * behind an AlertSink, so the callers never wait for it and never see its errors.
 */

/** One log line per event: the default until channels are configured. */
function loggingAlertSink(logger) {
    return {
        raise: (event) => {
            const line = alertSummary(event);
            if (event.kind === 'check_recovered')
                logger.info(`alert: ${line}`);
            else
                logger.warn(`alert: ${line}`);
        },
    };
}
/** Calls every sink; a sink that throws is logged, and the others still hear the event. */
function fanOut(sinks, logger) {
    return {
        raise: (event) => {
            for (const sink of sinks) {
                try {
                    sink.raise(event);
                }
                catch (error) {
                    logger.error(`alert ${event.kind}: a sink failed: ${describeError(error)}`);
                }
            }
        },
    };
}
/** A one-line summary, for logs and plain-text channels. */
function alertSummary(event) {
    switch (event.kind) {
        case 'check_down':
            return `check ${event.check} is down since ${event.since}: ${event.error}`;
        case 'check_recovered':
            return `check ${event.check} is up again after ${Math.round(event.downForMs / 1000)} s down`;
        case 'backup_failed':
            return `backup ${event.backup} failed: ${event.error}`;
        case 'backup_stale':
            return `backup ${event.backup} is stale: the newest good one is from ${event.lastGoodAt ?? 'never'}, expected since ${event.expectedSince}`;
        case 'retention_failed':
            return `backup ${event.backup}: retention failed (the backup itself is good): ${event.error}`;
    }
}
//# sourceMappingURL=alert-events.js.map
;// CONCATENATED MODULE: ./build/server/backups/backup-jobs.js
function backupJobs(configs, service, logger) {
    for (const config of configs)
        logger.info(`backup ${config.name}: scheduled '${config.schedule}'${config.timezone ? ` (${config.timezone})` : ' (UTC)'} into ${config.dir}`);
    return configs.map((config) => ({
        key: `backup:${config.name}`,
        schedule: config.schedule,
        timezone: config.timezone,
        run: async () => void (await service.run(config.name, 'schedule')),
    }));
}
//# sourceMappingURL=backup-jobs.js.map
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/core/backup/dump-command.js
var dump_command = __webpack_require__(3323);
;// CONCATENATED MODULE: ./build/core/backup/retention.js
/** Which backups retention removes. Pure: catalog entries and a clock in, names out. */
const DAY_MS = 86_400_000;
/**
 * Backups older than keepDays, except that the newest keepMin (and always the newest one)
 * stay whatever their age: retention never leaves a database without a recent good backup.
 */
function backupsToRemove(good, policy, now) {
    const newestFirst = [...good].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    const protectedCount = Math.max(1, policy.keepMin);
    const cutoff = now.getTime() - policy.keepDays * DAY_MS;
    return newestFirst.slice(protectedCount).filter((b) => Date.parse(b.startedAt) < cutoff);
}
//# sourceMappingURL=retention.js.map
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./build/core/backup/run-backup.js
/**
 * One backup: pg_dump streamed through gzip into `<dir>/<name>_<YYYYmmdd-HHMMSS>.sql.gz`.
 * Written under a temporary name, fsynced, and renamed only when pg_dump exited 0 and the
 * gzip stream finished; any failure removes the partial file. Memory stays flat: the dump
 * is streamed with backpressure, never buffered.
 */










class BackupError extends errors/* BerthError */.e4 {
    name = 'BackupError';
}
/** `20261124-060000` in UTC, as in the file name. */
function backupStamp(at) {
    return at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
async function fsyncPath(path, flags = 'r') {
    const handle = await (0,promises_.open)(path, flags);
    try {
        await handle.sync();
    }
    finally {
        await handle.close();
    }
}
function explainFsError(error, dir) {
    if (error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS')
        return `the backup folder ${dir} is not writable (${error.code})`;
    if (error.code === 'ENOSPC')
        return `the disk holding ${dir} is full (ENOSPC)`;
    return error.message;
}
/** Why a folder cannot be created: the nearest existing ancestor tells (a read-only mount reports ENOENT). */
async function explainMkdirError(error, dir) {
    for (let parent = (0,external_node_path_.dirname)(dir);; parent = (0,external_node_path_.dirname)(parent)) {
        try {
            await (0,promises_.access)(parent, external_node_fs_.constants.F_OK);
        }
        catch {
            if (parent === (0,external_node_path_.dirname)(parent))
                break;
            continue;
        }
        try {
            await (0,promises_.access)(parent, external_node_fs_.constants.W_OK);
        }
        catch (accessError) {
            return explainFsError(accessError, dir);
        }
        break;
    }
    return explainFsError(error, dir);
}
/**
 * Runs the dump; resolves with the finished file or rejects with BackupError, leaving no partial file.
 * zlib compresses on libuv's threadpool, beside pg_dump, as `pg_dump | gzip` uses two processes;
 * only sha256 of the compressed bytes runs on the main thread (~0.3 s a GB). Larger zlib chunks
 * and stage buffers were measured: under 5% less CPU for 10–15 MB more peak memory, so Node's
 * defaults stay (see the backup benchmark in the README).
 */
async function runBackup(name, dir, command, now = new Date(), signal) {
    const started = performance.now();
    const final = (0,external_node_path_.join)(dir, `${name}_${backupStamp(now)}.sql.gz`);
    const partial = (0,external_node_path_.join)(dir, `.${name}_${backupStamp(now)}.sql.gz.partial`);
    try {
        await (0,promises_.mkdir)(dir, { recursive: true });
    }
    catch (error) {
        throw new BackupError(`Backup '${name}' failed: ${await explainMkdirError(error, dir)}.`);
    }
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const tap = new external_node_stream_.Transform({
        transform(chunk, _encoding, callback) {
            hash.update(chunk);
            callback(null, chunk);
        },
    });
    const [file, ...args] = command.argv;
    const child = (0,external_node_child_process_.spawn)(file ?? 'pg_dump', args, {
        cwd: command.cwd,
        env: { ...process.env, ...command.env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onAbort = () => void child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    const stderr = [];
    child.stderr.on('data', (chunk) => {
        if (stderr.length < 64)
            stderr.push(chunk);
    });
    const exited = new Promise((resolve) => {
        child.once('error', (spawnError) => resolve({ code: null, signal: null, spawnError }));
        child.once('close', (code, signal) => resolve({ code, signal }));
    });
    const output = (0,external_node_fs_.createWriteStream)(partial, { flags: 'wx', mode: 0o600 });
    try {
        const [streamed, exit] = await Promise.allSettled([(0,external_node_stream_promises_.pipeline)(child.stdout, (0,external_node_zlib_.createGzip)(), tap, output), exited]);
        const result = exit.status === 'fulfilled' ? exit.value : { code: null, signal: null };
        if (result.spawnError)
            throw new BackupError(`Backup '${name}' failed: cannot run ${file}: ${result.spawnError.message}.`, 'Install the PostgreSQL client (pg_dump) on this machine.');
        // A write failure (disk full) also ends pg_dump with a broken pipe: report the cause, not the symptom.
        if (streamed.status === 'rejected')
            throw new BackupError(`Backup '${name}' failed: ${explainFsError(streamed.reason, dir)}.`);
        if (result.code !== 0) {
            const how = result.code === null ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
            const tail = Buffer.concat(stderr).toString().trim().split('\n').slice(-5).join('\n');
            throw new BackupError(`Backup '${name}' failed: pg_dump ${how}${tail ? `: ${tail}` : ''}.`);
        }
        await fsyncPath(partial, 'r+');
        await (0,promises_.rename)(partial, final);
        await fsyncPath(dir);
        const sha256 = hash.digest('hex');
        // A sidecar in sha256sum's format, so scripts can check the file without the catalog.
        await (0,promises_.writeFile)(`${final}.sha256`, `${sha256}  ${final.slice(dir.length + 1)}\n`, { mode: 0o600 });
        return { file: final, sizeBytes: (await (0,promises_.stat)(final)).size, sha256, durationMs: Math.round(performance.now() - started) };
    }
    catch (error) {
        child.kill('SIGTERM');
        output.destroy();
        await (0,promises_.rm)(partial, { force: true });
        if (signal?.aborted)
            throw new BackupError(`Backup '${name}' was stopped: the server is shutting down. No partial file was left.`);
        if (error instanceof BackupError)
            throw error;
        throw new BackupError(`Backup '${name}' failed: ${explainFsError(error, dir)}.`);
    }
    finally {
        signal?.removeEventListener('abort', onAbort);
    }
}
//# sourceMappingURL=run-backup.js.map
// EXTERNAL MODULE: ./build/core/backup/schedule.js
var backup_schedule = __webpack_require__(8924);
// EXTERNAL MODULE: ./build/core/engine/detect-compose.js
var detect_compose = __webpack_require__(6671);
// EXTERNAL MODULE: ./build/core/exec/local-executor.js
var local_executor = __webpack_require__(955);
;// CONCATENATED MODULE: ./build/server/server-errors.js
/** The server's two refusals, each with one HTTP status and one meaning for the scheduler. */

/** No backup, check (or other named thing) by that name: 404. */
class NotFoundError extends errors/* BerthError */.e4 {
    name = 'NotFoundError';
}
/** It is running already, or the server is stopping: 409; a scheduled tick then is a logged skip. */
class BusyError extends errors/* BerthError */.e4 {
    name = 'BusyError';
}
//# sourceMappingURL=server-errors.js.map
;// CONCATENATED MODULE: ./build/server/backups/backup-service.js
/**
 * Runs backups (on schedule or on request), records each in the catalog, applies retention
 * after a good one, and knows how fresh each backup is. One run per backup name at a time.
 */











class BackupService {
    configs;
    catalog;
    logger;
    clock;
    alerts;
    running = new Map();
    stopping = new AbortController();
    draining = false;
    constructor(configs, catalog, logger, clock = () => new Date(), alerts = { raise: () => undefined }) {
        this.configs = configs;
        this.catalog = catalog;
        this.logger = logger;
        this.clock = clock;
        this.alerts = alerts;
    }
    names() {
        return this.configs.map((c) => c.name);
    }
    config(name) {
        const config = this.configs.find((c) => c.name === name);
        if (!config)
            throw new NotFoundError(`There is no backup named '${name}'.`, `Configured: ${this.names().join(', ') || 'none'}.`);
        return config;
    }
    /**
     * Starts a backup: resolves once its catalog row exists (so the id can be polled), with the id
     * and the run's completion. Rejects for an unknown name, a backup already running, or a server
     * shutting down, and then nothing was started.
     */
    async start(name, trigger) {
        const config = this.config(name);
        if (this.running.has(name))
            throw new BusyError(`Backup '${name}' is already running.`);
        if (this.draining)
            throw new BusyError('The server is shutting down.');
        const id = (0,external_node_crypto_.randomUUID)();
        const started = this.clock();
        let finish;
        const done = new Promise((resolve) => (finish = resolve)).finally(() => this.running.delete(name));
        this.running.set(name, done);
        try {
            await this.catalog.start(id, config.name, trigger, started.toISOString());
        }
        catch (error) {
            this.running.delete(name);
            throw error;
        }
        finish(this.execute(config, id, started, trigger));
        return { id, done };
    }
    /** Runs a backup now and resolves with its catalog entry (succeeded or failed). */
    async run(name, trigger) {
        return (await this.start(name, trigger)).done;
    }
    async execute(config, id, started, trigger) {
        this.logger.info(`backup ${config.name}: started (${trigger})`);
        let result;
        try {
            const compose = config.source.kind === 'compose' ? await this.composeProject(config.source.path) : undefined;
            result = await runBackup(config.name, config.dir, (0,dump_command/* dumpCommand */.Y3)(config.source, compose), started, this.stopping.signal);
            await this.catalog.succeed(id, result, this.clock().toISOString());
        }
        catch (error) {
            const message = (0,errors/* describeError */.Uc)(error);
            await this.catalog.fail(id, message, this.clock().getTime() - started.getTime(), this.clock().toISOString());
            this.logger.error(`backup ${config.name}: ${message}`);
            this.alerts.raise({ kind: 'backup_failed', backup: config.name, runId: id, error: message, at: this.clock().toISOString() });
            return (await this.catalog.get(id));
        }
        this.logger.info(`backup ${config.name}: ${result.file} (${result.sizeBytes} bytes, ${result.durationMs} ms, sha256 ${result.sha256})`);
        await this.tryRetention(config);
        return (await this.catalog.get(id));
    }
    /** Retention failing leaves the good backup good: a warning and an alert, never a failed backup. */
    async tryRetention(config) {
        try {
            await this.applyRetention(config);
        }
        catch (error) {
            const message = (0,errors/* describeError */.Uc)(error);
            this.logger.warn(`backup ${config.name}: retention failed (the new backup is good): ${message}`);
            this.alerts.raise({ kind: 'retention_failed', backup: config.name, error: message, at: this.clock().toISOString() });
        }
    }
    async composeProject(path) {
        const flavor = await (0,detect_compose/* detectCompose */.i)(new local_executor/* LocalExecutor */.n());
        if (flavor)
            return { flavor, path, files: [], projectName: undefined };
        throw new BackupError('Docker Compose was not found on this machine.', 'Install docker compose or docker-compose, or use database-url.');
    }
    /**
     * Removes partial files a crashed server left behind (a failed backup leaves no file, even
     * when the failure is the server's own death). Run at start, before anything is scheduled.
     */
    async removeLeftovers() {
        for (const config of this.configs) {
            let names;
            try {
                names = await (0,promises_.readdir)(config.dir);
            }
            catch {
                continue;
            }
            for (const name of names.filter((n) => n.startsWith(`.${config.name}_`) && n.endsWith('.sql.gz.partial'))) {
                await (0,promises_.rm)((0,external_node_path_.join)(config.dir, name), { force: true });
                this.logger.warn(`backup ${config.name}: removed ${name}, left by an interrupted backup`);
            }
        }
    }
    /** Removes backups past keep-days, never the newest good one nor below keep-min. Runs only after a good backup. */
    async applyRetention(config) {
        const good = await this.catalog.good(config.name);
        const now = this.clock();
        for (const old of backupsToRemove(good, config, now)) {
            const entry = good.find((g) => g.id === old.id);
            if (!entry?.file)
                continue;
            await (0,promises_.rm)(entry.file, { force: true });
            await (0,promises_.rm)(`${entry.file}.sha256`, { force: true });
            await this.catalog.markRemoved(entry.id, now.toISOString());
            this.logger.info(`backup ${config.name}: retention removed ${entry.file}`);
        }
    }
    async overview() {
        const now = this.clock();
        return Promise.all(this.configs.map(async (c) => {
            const [lastGood] = await this.catalog.good(c.name);
            return {
                name: c.name,
                schedule: c.schedule,
                timezone: c.timezone ?? null,
                dir: c.dir,
                freshness: (0,backup_schedule/* freshness */.I9)(c.schedule, c.timezone, lastGood?.startedAt, now),
                running: this.running.has(c.name),
            };
        }));
    }
    /** Stops taking runs; waits for running ones, and stops them (removing partial files) after `graceMs`. */
    async drain(graceMs) {
        this.draining = true;
        const jobs = [...this.running.values()];
        const timer = setTimeout(() => this.stopping.abort(), graceMs);
        if (graceMs <= 0)
            this.stopping.abort();
        await Promise.allSettled(jobs);
        clearTimeout(timer);
        this.stopping.abort();
    }
}
//# sourceMappingURL=backup-service.js.map
;// CONCATENATED MODULE: ./build/server/checks/check-jobs.js
function checkJobs(service, logger) {
    if (service.configs.length > 0)
        logger.info(`checks: ${service.configs.map((c) => `${c.name} (${c.type}, '${c.schedule}')`).join(', ')}`);
    return service.configs.map((config) => ({
        key: `check:${config.name}`,
        schedule: config.schedule,
        run: async () => void (await service.run(config.name)),
    }));
}
//# sourceMappingURL=check-jobs.js.map
;// CONCATENATED MODULE: ./build/server/checks/check-outcome.js
const passed = { ok: true };
function failed(error, details) {
    return details ? { ok: false, error, details } : { ok: false, error };
}
/** A URL for messages: without its password. */
function shownUrl(url) {
    try {
        const parsed = new URL(url);
        if (parsed.password)
            parsed.password = '***';
        return parsed.toString();
    }
    catch {
        return '(invalid URL)';
    }
}
/** The reason an aborted or failed operation gives, as one line. */
function reason(error, timeoutMs) {
    const e = error;
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
        return `no answer within ${timeoutMs / 1000} s`;
    const cause = e?.cause?.code ?? e?.cause?.message;
    return cause ? `${e?.message ?? 'failed'} (${cause})` : (e?.message ?? String(error));
}
//# sourceMappingURL=check-outcome.js.map
;// CONCATENATED MODULE: ./build/server/checks/check-state.js
/**
 * A check's health as a pure state machine: it goes down only after `failures` failures in a row
 * and up again only after `successes` passes in a row, so one slow answer pages nobody.
 */
const INITIAL_STATE = { health: 'unknown', since: null, failuresInRow: 0, successesInRow: 0, failingSince: null };
/** The state after one result, and the transition when the health changed. */
function advance(state, ok, at, limits) {
    const failuresInRow = ok ? 0 : state.failuresInRow + 1;
    const successesInRow = ok ? state.successesInRow + 1 : 0;
    const failingSince = ok ? null : (state.failingSince ?? at);
    const counted = { failuresInRow, successesInRow, failingSince };
    if (!ok && state.health !== 'down' && failuresInRow >= limits.failures) {
        const since = failingSince ?? at;
        return { state: { health: 'down', since, ...counted }, transition: { from: state.health, to: 'down', since } };
    }
    if (ok && state.health !== 'up' && successesInRow >= limits.successes) {
        const transition = { from: state.health, to: 'up', since: state.since ?? at };
        return { state: { health: 'up', since: at, ...counted }, transition };
    }
    return { state: { ...state, ...counted } };
}
//# sourceMappingURL=check-state.js.map
// EXTERNAL MODULE: ./node_modules/docker-compose/dist/index.js
var docker_compose_dist = __webpack_require__(3162);
// EXTERNAL MODULE: ./build/core/health/containers.js
var health_containers = __webpack_require__(5789);
;// CONCATENATED MODULE: ./build/server/checks/compose-check.js
/**
 * `type: compose`: every service of a Compose project on this host has a running container, and a
 * `healthy` one where the image has a healthcheck. Compose is driven through the `docker-compose`
 * npm package (v2 `docker compose`, or v1 `docker-compose`); container state comes from
 * `docker inspect` on the ids `ps -q` lists, which both versions answer the same way.
 */





/** How many log lines of a failing service an alert carries. */
const LOG_LINES = 20;
/** What is wrong with each service, or nothing when all are up. Pure. */
function composeProblems(services, containers) {
    const problems = [];
    for (const service of services) {
        const own = containers.filter((c) => c.service === service);
        // A one-shot job (a migration) that exited 0 and is not restarted has done its work.
        const finished = (c) => c.state === 'exited' && c.exitCode === 0 && c.restartPolicy === 'no';
        const live = own.filter((c) => !finished(c));
        if (own.length === 0)
            problems.push({ service, problem: 'has no container' });
        else if (live.length === 0)
            continue;
        else {
            const bad = live.find((c) => c.state !== 'running' || (c.health !== undefined && c.health !== 'healthy'));
            if (!bad)
                continue;
            const problem = bad.state !== 'running'
                ? `is ${bad.state}${bad.state === 'exited' || bad.state === 'dead' ? ` (code ${bad.exitCode})` : ''}`
                : `is ${bad.health}`;
            problems.push({ service, problem });
        }
    }
    return problems;
}
function composeFailure(error) {
    const e = error;
    const text = (e.err ?? e.message ?? String(error)).trim().split('\n').slice(-3).join(' ');
    return e.exitCode === undefined ? text : `exit ${e.exitCode}: ${text}`;
}
/** Rejects with an AbortError when the signal fires first; the docker-compose package takes no signal. */
function beforeAbort(work, signal) {
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        if (signal.aborted)
            return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
}
let flavor;
const composeProbe = async (config, signal) => {
    const found = await (flavor ??= (0,detect_compose/* detectCompose */.i)(new local_executor/* LocalExecutor */.n()));
    if (!found)
        return failed('Docker Compose was not found on this host (docker compose or docker-compose).');
    const options = {
        cwd: config.path,
        config: [...config.composeFiles],
        composeOptions: config.projectName ? [['--project-name', config.projectName]] : [],
        ...(found === 'v1' ? { executable: { standalone: true } } : {}),
    };
    try {
        const services = (await beforeAbort(docker_compose_dist.configServices(options), signal)).data.services;
        const listed = await beforeAbort(docker_compose_dist.execCompose('ps', found === 'v2' ? ['--all', '--quiet'] : ['--quiet'], options), signal);
        const ids = listed.out.split('\n').filter(Boolean);
        let containers = [];
        if (ids.length > 0) {
            const inspected = await new local_executor/* LocalExecutor */.n().run(['docker', 'inspect', ...ids], { signal });
            if (inspected.code !== 0)
                return failed(`docker inspect failed: ${inspected.stderr.trim()}`);
            containers = (0,health_containers/* parseInspect */.E7)(inspected.stdout);
        }
        const problems = composeProblems(services, containers);
        if (problems.length === 0)
            return passed;
        const failing = problems.map((p) => p.service);
        const first = failing[0] ?? '';
        const logs = await beforeAbort(docker_compose_dist.logs(first, { ...options, commandOptions: ['--no-color', ['--tail', String(LOG_LINES)]] }), signal)
            .then((r) => r.out.trimEnd())
            .catch(() => '(its logs could not be read)');
        return failed(problems.map((p) => `${p.service} ${p.problem}`).join('; '), { failingServices: failing, logTail: logs });
    }
    catch (error) {
        if (signal.aborted)
            return failed(`compose project ${config.path}: no answer within ${config.timeoutMs / 1000} s`);
        return failed(`compose project ${config.path}: ${composeFailure(error)}`);
    }
};
//# sourceMappingURL=compose-check.js.map
;// CONCATENATED MODULE: ./build/server/checks/http-check.js

const MAX_BODY_BYTES = 1024 * 1024;
/** Whether the status is one the check accepts. */
function statusAccepted(status, accepted) {
    return accepted ? accepted.includes(status) : status >= 200 && status < 300;
}
/** Reads at most `limit` bytes of a body and says whether `text` is in them; the rest is never fetched. */
async function bodyContains(body, text, limit) {
    if (!body)
        return false;
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    let bytes = 0;
    try {
        while (bytes < limit) {
            const { done, value } = await reader.read();
            if (done)
                break;
            const room = limit - bytes;
            const chunk = value.byteLength > room ? value.subarray(0, room) : value;
            bytes += chunk.byteLength;
            seen += decoder.decode(chunk, { stream: true });
            if (seen.includes(text))
                return true;
            // Keep only a tail long enough for a match that straddles two chunks.
            if (seen.length > text.length * 2 + 65_536)
                seen = seen.slice(-text.length);
        }
        return seen.includes(text);
    }
    finally {
        await reader.cancel().catch(() => undefined); // the rest of the body is not wanted; closing may race the end
    }
}
const httpProbe = async (config, signal) => {
    const where = shownUrl(config.url);
    let response;
    try {
        response = await fetch(config.url, {
            signal,
            redirect: config.followRedirects ? 'follow' : 'manual',
            headers: { 'user-agent': 'berth-check' },
        });
    }
    catch (error) {
        return failed(`${where}: ${reason(error, config.timeoutMs)}`);
    }
    const status = response.status;
    if (!statusAccepted(status, config.status)) {
        await response.body?.cancel().catch(() => undefined); // not read: only the status mattered
        const expected = config.status ? config.status.join(' or ') : 'a 2xx status';
        const location = response.headers.get('location');
        return failed(`${where} answered ${status}${location ? ` (redirect to ${location})` : ''}, expected ${expected}`, { status });
    }
    if (config.contains === undefined) {
        await response.body?.cancel().catch(() => undefined);
        return passed;
    }
    try {
        if (await bodyContains(response.body, config.contains, MAX_BODY_BYTES))
            return passed;
    }
    catch (error) {
        return failed(`${where}: reading the body: ${reason(error, config.timeoutMs)}`, { status });
    }
    return failed(`${where} answered ${status}, but the first ${MAX_BODY_BYTES / 1024} KB do not contain ${JSON.stringify(config.contains)}`, {
        status,
    });
};
//# sourceMappingURL=http-check.js.map
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(6230);
;// CONCATENATED MODULE: ./build/server/checks/postgres-check.js
/** `type: postgres`: connects and runs `SELECT 1`. The URL's password never reaches a message. */


const postgresProbe = async (config, signal) => {
    const where = shownUrl(config.url);
    const password = new URL(config.url).password;
    const client = new esm/* default.Client */.Ay.Client({
        connectionString: config.url,
        connectionTimeoutMillis: config.timeoutMs,
        query_timeout: config.timeoutMs,
        application_name: 'berth-check',
    });
    // A connection that breaks after the check (the server restarting) must not crash the process.
    client.on('error', () => undefined);
    const onAbort = () => void client.end().catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
        await client.connect();
        await client.query('SELECT 1');
        return passed;
    }
    catch (error) {
        if (signal.aborted)
            return failed(`${where}: no answer within ${config.timeoutMs / 1000} s`);
        let message = error.message;
        if (password)
            message = message.split(decodeURIComponent(password)).join('***').split(password).join('***');
        return failed(`${where}: ${message}`);
    }
    finally {
        signal.removeEventListener('abort', onAbort);
        await client.end().catch(() => undefined); // already closed by a failure or the timeout
    }
};
//# sourceMappingURL=postgres-check.js.map
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./build/server/checks/tcp-check.js
/** `type: tcp`: the port accepts a connection within the timeout. */


const tcpProbe = (config, signal) => new Promise((resolve) => {
    const where = `${config.host}:${config.port}`;
    const socket = (0,external_node_net_.connect)({ host: config.host, port: config.port });
    const finish = (outcome) => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve(outcome);
    };
    const onAbort = () => finish(failed(`${where}: no connection within ${config.timeoutMs / 1000} s`));
    if (signal.aborted)
        return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish(passed));
    socket.once('error', (error) => finish(failed(`${where}: ${error.code ?? error.message}`)));
});
//# sourceMappingURL=tcp-check.js.map
;// CONCATENATED MODULE: ./build/server/checks/run-check.js





function probe(config) {
    const signal = AbortSignal.timeout(config.timeoutMs);
    switch (config.type) {
        case 'http':
            return httpProbe(config, signal);
        case 'tcp':
            return tcpProbe(config, signal);
        case 'postgres':
            return postgresProbe(config, signal);
        case 'compose':
            return composeProbe(config, signal);
    }
}
/** Each probe honours its signal; the extra second is a backstop so no probe can hold its check past the timeout. */
const BACKSTOP_MS = 1000;
const runCheck = async (config) => {
    const at = new Date();
    const started = performance.now();
    let backstop;
    const late = new Promise((resolve) => {
        backstop = setTimeout(() => resolve(failed(`no answer within ${config.timeoutMs / 1000} s`)), config.timeoutMs + BACKSTOP_MS);
    });
    const outcome = await Promise.race([
        probe(config).catch((error) => failed(`the check itself failed: ${error.message}`)),
        late,
    ]);
    clearTimeout(backstop);
    return { ...outcome, at: at.toISOString(), latencyMs: Math.round(performance.now() - started) };
};
//# sourceMappingURL=run-check.js.map
;// CONCATENATED MODULE: ./build/server/checks/check-service.js
/**
 * Runs checks (on schedule or on request), moves each through its state machine, stores results
 * and state changes, and raises an alert event when a check goes down or comes back. The storage
 * may be away for a while: checks go on, state is kept in memory, and the failure to store is logged.
 */





/** What a check looks at, for people: no passwords. */
function checkTarget(config) {
    switch (config.type) {
        case 'http':
        case 'postgres':
            return shownUrl(config.url);
        case 'tcp':
            return `${config.host}:${config.port}`;
        case 'compose':
            return config.projectName ? `${config.path} (${config.projectName})` : config.path;
    }
}
class CheckService {
    configs;
    deps;
    running = new Map();
    /** The last state each check reached here, and when: used when the storage cannot be read or missed a write. */
    known = new Map();
    runner;
    constructor(configs, deps) {
        this.configs = configs;
        this.deps = deps;
        this.runner = deps.runner ?? runCheck;
    }
    names() {
        return this.configs.map((c) => c.name);
    }
    config(name) {
        const config = this.configs.find((c) => c.name === name);
        if (!config)
            throw new NotFoundError(`There is no check named '${name}'.`, `Configured: ${this.names().join(', ') || 'none'}.`);
        return config;
    }
    /** Each check's state, since when, and its latest results (newest first). */
    async overview(historyLimit, only) {
        const states = await this.deps.store.states();
        return Promise.all(this.configs
            .filter((config) => only === undefined || config.name === only)
            .map(async (config) => {
            const state = states.get(config.name) ?? this.known.get(config.name)?.state ?? INITIAL_STATE;
            const history = await this.deps.store.history(config.name, historyLimit);
            return {
                name: config.name,
                type: config.type,
                target: checkTarget(config),
                schedule: config.schedule,
                health: state.health,
                since: state.since,
                running: this.running.has(config.name),
                lastResult: history[0] ?? null,
                history,
            };
        }));
    }
    /** Each check's health alone (no history): cheap enough for every metrics scrape. */
    async healths() {
        const states = await this.deps.store.states();
        return this.configs.map((c) => ({
            name: c.name,
            type: c.type,
            health: (states.get(c.name) ?? this.known.get(c.name)?.state ?? INITIAL_STATE).health,
        }));
    }
    /** A check's state changes, newest first. */
    events(name, limit) {
        return this.deps.store.events(name, limit);
    }
    /** Runs one check now. Rejects at once, running nothing, for an unknown name or one that is running. */
    async run(name) {
        const config = this.config(name);
        if (this.running.has(name))
            throw new BusyError(`Check '${name}' is running; try again when it has finished.`);
        const run = this.execute(config).finally(() => this.running.delete(name));
        this.running.set(name, run);
        return run;
    }
    /** Waits for running checks (each ends within its timeout), so their results are stored before the storage closes. */
    async drain() {
        await Promise.allSettled([...this.running.values()]);
    }
    async execute(config) {
        const result = await this.runner(config);
        this.deps.observe?.(config, result);
        const before = await this.currentState(config.name);
        const { state, transition } = advance(before, result.ok, result.at, config);
        const savedAt = new Date().toISOString();
        this.known.set(config.name, { state, savedAt });
        if (!result.ok)
            this.deps.logger.debug(`check ${config.name}: failed: ${result.error}`);
        if (transition)
            this.announce(config, transition, result);
        await this.store(config.name, result, { state, savedAt }, transition);
        return { check: config.name, result, state, transition };
    }
    /** The newer of the stored state (another server may have run the last tick) and the one in memory (a write may have failed). */
    async currentState(name) {
        const mine = this.known.get(name);
        try {
            const stored = await this.deps.store.state(name);
            if (stored && (!mine || stored.savedAt >= mine.savedAt))
                return stored.state;
        }
        catch (error) {
            this.deps.logger.warn(`check ${name}: storage unavailable, using the state in memory: ${(0,errors/* describeError */.Uc)(error)}`);
        }
        return mine?.state ?? INITIAL_STATE;
    }
    announce(config, transition, result) {
        const { logger, alerts } = this.deps;
        if (transition.to === 'down') {
            logger.warn(`check ${config.name}: down since ${transition.since}: ${result.error}`);
            alerts.raise({
                kind: 'check_down',
                check: config.name,
                checkType: config.type,
                since: transition.since,
                error: result.error ?? 'failed',
                details: result.details,
                at: result.at,
            });
        }
        else if (transition.to === 'up') {
            logger.info(`check ${config.name}: up${transition.from === 'down' ? ` again (down since ${transition.since})` : ''}`);
            if (transition.from === 'down')
                alerts.raise({
                    kind: 'check_recovered',
                    check: config.name,
                    checkType: config.type,
                    since: transition.since,
                    downForMs: Date.parse(result.at) - Date.parse(transition.since),
                    at: result.at,
                });
        }
    }
    async store(name, result, saved, transition) {
        try {
            await this.deps.store.record(name, result);
            await this.deps.store.saveState(name, saved.state, saved.savedAt);
            if (transition)
                await this.deps.store.addEvent(name, transition, result.at, result.error);
        }
        catch (error) {
            this.deps.logger.error(`check ${name}: result of ${result.at} not stored: ${(0,errors/* describeError */.Uc)(error)}`);
        }
    }
}
//# sourceMappingURL=check-service.js.map
// EXTERNAL MODULE: ./build/server/config/load-config.js + 7 modules
var load_config = __webpack_require__(1594);
// EXTERNAL MODULE: ./node_modules/hono/dist/index.js + 20 modules
var hono_dist = __webpack_require__(1923);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./node_modules/hono/dist/http-exception.js
var http_exception = __webpack_require__(3040);
// EXTERNAL MODULE: ./node_modules/hono/dist/middleware/bearer-auth/index.js
var bearer_auth = __webpack_require__(9298);
;// CONCATENATED MODULE: ./build/server/http/auth.js

const MISSING = { error: 'Missing or wrong API token: send Authorization: Bearer <api-token>.' };
function requireToken(token) {
    return (0,bearer_auth/* bearerAuth */.i)({
        token,
        realm: 'berth',
        noAuthenticationHeader: { message: MISSING },
        invalidAuthenticationHeader: { message: { error: 'Malformed Authorization header: send Authorization: Bearer <api-token>.' } },
        invalidToken: { message: MISSING },
    });
}
//# sourceMappingURL=auth.js.map
;// CONCATENATED MODULE: ./build/server/http/backups-routes.js
/** /api/backups: the catalog with each backup's freshness; starting one now (202, then poll its run). */


function backupsRoutes(service, catalog) {
    const routes = new hono_dist/* Hono */.$();
    routes.get('/', async (c) => {
        const name = c.req.query('name');
        return c.json({ backups: await service.overview(), catalog: await catalog.list(name) });
    });
    routes.get('/runs/:id', async (c) => {
        const entry = await catalog.get(c.req.param('id'));
        if (!entry)
            throw new http_exception/* HTTPException */.y(404, { res: Response.json({ error: `There is no backup run '${c.req.param('id')}'.` }, { status: 404 }) });
        return c.json(entry);
    });
    // A dump of a large database outlasts proxies' timeouts: answer at once and let the client poll,
    // unless it asks to wait (?wait=true, the old behaviour: 201 or 500 with the entry).
    routes.post('/:name', async (c) => {
        const run = await service.start(c.req.param('name'), 'api');
        if (c.req.query('wait') === 'true') {
            const entry = await run.done;
            return c.json(entry, entry.status === 'succeeded' ? 201 : 500);
        }
        const poll = `/api/backups/runs/${run.id}`;
        c.header('Location', poll);
        return c.json({ id: run.id, name: c.req.param('name'), status: 'running', poll }, 202);
    });
    return routes;
}
//# sourceMappingURL=backups-routes.js.map
;// CONCATENATED MODULE: ./build/server/http/checks-routes.js
/** /api/checks: each check's state and recent results; running one now. */

/** Results per check in the list; one check's page shows more. */
const LIST_HISTORY = 20;
const ONE_HISTORY = 200;
function checksRoutes(service) {
    const routes = new hono_dist/* Hono */.$();
    routes.get('/', async (c) => c.json({ checks: await service.overview(LIST_HISTORY) }));
    routes.get('/:name', async (c) => {
        const name = c.req.param('name');
        service.config(name); // 404 for an unknown name
        const [check] = await service.overview(ONE_HISTORY, name);
        return c.json({ check, events: await service.events(name, 50) });
    });
    routes.post('/:name/run', async (c) => {
        const run = await service.run(c.req.param('name'));
        return c.json({
            check: run.check,
            result: run.result,
            health: run.state.health,
            since: run.state.since,
            changed: run.transition ?? null,
        });
    });
    return routes;
}
//# sourceMappingURL=checks-routes.js.map
// EXTERNAL MODULE: ./node_modules/hono/dist/jsx/jsx-runtime.js + 12 modules
var jsx_runtime = __webpack_require__(8776);
;// CONCATENATED MODULE: ./build/server/status/format.js
/** Small formatters for people: ages and sizes. */
/** `42 s`, `5 min`, `3 h`, `2 d`. */
function age(fromIso, now) {
    if (!fromIso)
        return '—';
    const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(fromIso)) / 1000));
    if (seconds < 90)
        return `${seconds} s`;
    if (seconds < 90 * 60)
        return `${Math.round(seconds / 60)} min`;
    if (seconds < 36 * 3600)
        return `${Math.round(seconds / 3600)} h`;
    return `${Math.round(seconds / 86_400)} d`;
}
/** `812 B`, `4.2 MB`, `1.1 GB`. */
function size(bytes) {
    if (bytes === null || bytes === undefined)
        return '—';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${unit === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
/** `2026-11-24 10:07 UTC`. */
function stamp(iso) {
    return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—';
}
//# sourceMappingURL=format.js.map
;// CONCATENATED MODULE: ./build/server/status/status-data.js
/** Results per check in the history strip. */
const HISTORY_CELLS = 40;
async function statusSnapshot(sources, at = new Date()) {
    const [checks, overview, deploys] = await Promise.all([
        sources.checks.overview(HISTORY_CELLS),
        sources.backups.overview(),
        sources.deploys?.recent(10),
    ]);
    const backups = await Promise.all(overview.map(async (b) => {
        const [[lastGood], [lastRun]] = await Promise.all([sources.catalog.good(b.name), sources.catalog.list(b.name, 1)]);
        return { ...b, lastGood, lastRun };
    }));
    return { checks, backups, deploys, at };
}
//# sourceMappingURL=status-data.js.map
;// CONCATENATED MODULE: ./build/server/status/status-style.js
/** The status page's stylesheet: system fonts, no external requests, light and dark, one column on a phone. */
const STATUS_CSS = `
:root { --bg: #f6f7f9; --card: #fff; --text: #1b1f24; --muted: #667085; --line: #e4e7ec;
  --up: #12b76a; --down: #f04438; --unknown: #98a2b3; --warn: #f79009; --down-bg: #fef3f2; --up-bg: #ecfdf3; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0f1318; --card: #171c22; --text: #e6e9ee; --muted: #98a2b3; --line: #262d36; --down-bg: #3a1a18; --up-bg: #10291d; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 880px; margin: 0 auto; padding: 20px 16px 40px; }
header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 12px; margin-bottom: 20px; }
h1 { font-size: 20px; margin: 0; letter-spacing: -0.01em; }
h1 small { color: var(--muted); font-weight: 400; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 28px 0 10px; }
.pill { display: inline-flex; align-items: center; gap: 6px; padding: 4px 12px; border-radius: 999px; font-weight: 600; font-size: 14px; }
.pill.up { background: var(--up-bg); color: var(--up); }
.pill.down { background: var(--down-bg); color: var(--down); }
.pill.unknown { background: var(--line); color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; margin-bottom: 10px; }
.row { display: flex; align-items: center; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
.name { display: flex; align-items: center; gap: 8px; font-weight: 600; min-width: 0; }
.dot { width: 10px; height: 10px; border-radius: 50%; flex: none; background: var(--unknown); }
.dot.up { background: var(--up); } .dot.down { background: var(--down); }
.badge { font-size: 12px; font-weight: 500; color: var(--muted); border: 1px solid var(--line); border-radius: 6px; padding: 0 6px; }
.state { font-size: 14px; color: var(--muted); }
.state.down { color: var(--down); font-weight: 600; } .state.up { color: var(--up); }
.target { color: var(--muted); font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; margin: 4px 0 10px; }
.history { display: flex; gap: 2px; height: 24px; align-items: stretch; }
.history span { flex: 1 1 0; min-width: 2px; border-radius: 2px; background: var(--line); }
.history span.ok { background: var(--up); } .history span.fail { background: var(--down); }
.meta { display: flex; justify-content: space-between; color: var(--muted); font-size: 12px; margin-top: 6px; }
.error { margin-top: 10px; padding: 8px 10px; border-radius: 6px; background: var(--down-bg); color: var(--down);
  font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; }
.error pre { margin: 6px 0 0; color: var(--text); opacity: 0.8; white-space: pre-wrap; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 10px; }
.grid .card { margin: 0; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 8px 0 0; font-size: 14px; }
dt { color: var(--muted); } dd { margin: 0; text-align: right; }
.empty { color: var(--muted); font-size: 14px; padding: 4px 0; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; display: flex; justify-content: space-between; flex-wrap: wrap; gap: 8px; }
button, input { font: inherit; }
footer button { background: none; border: 0; color: var(--muted); text-decoration: underline; cursor: pointer; padding: 0; }
.login { max-width: 360px; margin: 12vh auto; }
.login input { width: 100%; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; background: var(--card); color: var(--text); margin: 8px 0 12px; }
.login button { width: 100%; padding: 10px; border: 0; border-radius: 8px; background: var(--text); color: var(--bg); font-weight: 600; cursor: pointer; }
`;
//# sourceMappingURL=status-style.js.map
;// CONCATENATED MODULE: ./build/server/status/status-page.js




/** The page reloads itself (a meta refresh; no script) this often. */
const REFRESH_SECONDS = 30;
function Layout(props) {
    return ((0,jsx_runtime/* jsxs */.FD)("html", { lang: "en", children: [(0,jsx_runtime/* jsxs */.FD)("head", { children: [(0,jsx_runtime/* jsx */.Y)("meta", { charset: "utf-8" }), (0,jsx_runtime/* jsx */.Y)("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }), props.refresh ? (0,jsx_runtime/* jsx */.Y)("meta", { "http-equiv": "refresh", content: String(REFRESH_SECONDS) }) : null, (0,jsx_runtime/* jsx */.Y)("meta", { name: "color-scheme", content: "light dark" }), (0,jsx_runtime/* jsx */.Y)("link", { rel: "icon", href: "data:," }), (0,jsx_runtime/* jsx */.Y)("title", { children: props.title }), (0,jsx_runtime/* jsx */.Y)("style", { children: STATUS_CSS })] }), (0,jsx_runtime/* jsx */.Y)("body", { children: props.children })] }));
}
function CheckCard({ check, now }) {
    const oldestFirst = [...check.history].reverse();
    const blanks = Math.max(0, HISTORY_CELLS - oldestFirst.length);
    const last = check.lastResult;
    const stateText = check.health === 'unknown' ? 'No result yet' : `${check.health === 'up' ? 'Up' : 'Down'} for ${age(check.since, now)}`;
    return ((0,jsx_runtime/* jsxs */.FD)("article", { class: "card", "data-check": check.name, "data-health": check.health, children: [(0,jsx_runtime/* jsxs */.FD)("div", { class: "row", children: [(0,jsx_runtime/* jsxs */.FD)("div", { class: "name", children: [(0,jsx_runtime/* jsx */.Y)("span", { class: `dot ${check.health}` }), (0,jsx_runtime/* jsx */.Y)("span", { children: check.name }), (0,jsx_runtime/* jsx */.Y)("span", { class: "badge", children: check.type })] }), (0,jsx_runtime/* jsx */.Y)("span", { class: `state ${check.health}`, children: stateText })] }), (0,jsx_runtime/* jsx */.Y)("div", { class: "target", title: check.target, children: check.target }), (0,jsx_runtime/* jsxs */.FD)("div", { class: "history", "aria-label": `last ${check.history.length} results, oldest first`, children: [Array.from({ length: blanks }, () => ((0,jsx_runtime/* jsx */.Y)("span", {}))), oldestFirst.map((r) => ((0,jsx_runtime/* jsx */.Y)("span", { class: r.ok ? 'ok' : 'fail', title: `${stamp(r.at)}: ${r.ok ? 'ok' : r.error} (${r.latencyMs} ms)` })))] }), (0,jsx_runtime/* jsxs */.FD)("div", { class: "meta", children: [(0,jsx_runtime/* jsx */.Y)("span", { children: check.schedule }), (0,jsx_runtime/* jsx */.Y)("span", { children: last ? `last run ${age(last.at, now)} ago · ${last.latencyMs} ms` : 'never run' })] }), last && !last.ok ? ((0,jsx_runtime/* jsxs */.FD)("div", { class: "error", children: [last.error, last.details?.logTail ? (0,jsx_runtime/* jsx */.Y)("pre", { children: last.details.logTail }) : null] })) : null] }));
}
function BackupCard({ backup, now }) {
    const status = backup.freshness.status;
    const tone = status === 'fresh' ? 'up' : status === 'stale' ? 'down' : 'unknown';
    return ((0,jsx_runtime/* jsxs */.FD)("article", { class: "card", "data-backup": backup.name, children: [(0,jsx_runtime/* jsxs */.FD)("div", { class: "row", children: [(0,jsx_runtime/* jsxs */.FD)("div", { class: "name", children: [(0,jsx_runtime/* jsx */.Y)("span", { class: `dot ${tone}` }), (0,jsx_runtime/* jsx */.Y)("span", { children: backup.name })] }), (0,jsx_runtime/* jsx */.Y)("span", { class: `pill ${tone}`, children: backup.running ? 'running' : status })] }), (0,jsx_runtime/* jsxs */.FD)("dl", { children: [(0,jsx_runtime/* jsx */.Y)("dt", { children: "Last good" }), (0,jsx_runtime/* jsx */.Y)("dd", { children: backup.lastGood ? `${age(backup.lastGood.startedAt, now)} ago` : 'never' }), (0,jsx_runtime/* jsx */.Y)("dt", { children: "Size" }), (0,jsx_runtime/* jsx */.Y)("dd", { children: size(backup.lastGood?.sizeBytes) }), (0,jsx_runtime/* jsx */.Y)("dt", { children: "Last run" }), (0,jsx_runtime/* jsx */.Y)("dd", { children: backup.lastRun ? `${backup.lastRun.status}, ${age(backup.lastRun.startedAt, now)} ago` : '—' }), (0,jsx_runtime/* jsx */.Y)("dt", { children: "Schedule" }), (0,jsx_runtime/* jsx */.Y)("dd", { children: backup.schedule })] }), backup.lastRun?.status === 'failed' ? (0,jsx_runtime/* jsx */.Y)("div", { class: "error", children: backup.lastRun.error }) : null] }));
}
function Deploys({ deploys, now }) {
    if (!deploys || deploys.length === 0)
        return (0,jsx_runtime/* jsx */.Y)("p", { class: "empty", children: "No deploys recorded." });
    return ((0,jsx_runtime/* jsx */.Y)("div", { children: deploys.map((d) => {
            const tone = d.state === 'success' ? 'up' : d.state === 'failure' || d.state === 'error' ? 'down' : 'unknown';
            return ((0,jsx_runtime/* jsxs */.FD)("article", { class: "card row", "data-deploy": d.environment, children: [(0,jsx_runtime/* jsxs */.FD)("div", { class: "name", children: [(0,jsx_runtime/* jsx */.Y)("span", { class: `dot ${tone}` }), (0,jsx_runtime/* jsx */.Y)("span", { children: d.environment }), d.sha ? (0,jsx_runtime/* jsx */.Y)("span", { class: "badge", children: d.sha.slice(0, 7) }) : null, d.ref ? (0,jsx_runtime/* jsx */.Y)("span", { class: "state", children: d.ref }) : null] }), (0,jsx_runtime/* jsxs */.FD)("span", { class: "state", children: [d.url ? (0,jsx_runtime/* jsx */.Y)("a", { href: d.url, children: d.state }) : d.state, " \u00B7 ", age(d.at, now), " ago"] })] }));
        }) }));
}
function Summary({ checks }) {
    const down = checks.filter((c) => c.health === 'down').length;
    if (checks.length === 0)
        return (0,jsx_runtime/* jsx */.Y)("span", { class: "pill unknown", children: "No checks configured" });
    if (down > 0)
        return (0,jsx_runtime/* jsx */.Y)("span", { class: "pill down", children: down === 1 ? '1 check down' : `${down} checks down` });
    if (checks.every((c) => c.health === 'up'))
        return (0,jsx_runtime/* jsx */.Y)("span", { class: "pill up", children: "All checks up" });
    return (0,jsx_runtime/* jsx */.Y)("span", { class: "pill unknown", children: "Waiting for results" });
}
function StatusPage({ snapshot, host, canLogOut }) {
    const now = snapshot.at;
    return ((0,jsx_runtime/* jsx */.Y)(Layout, { title: `berth · ${host}`, refresh: true, children: (0,jsx_runtime/* jsxs */.FD)("main", { children: [(0,jsx_runtime/* jsxs */.FD)("header", { children: [(0,jsx_runtime/* jsxs */.FD)("h1", { children: ["berth ", (0,jsx_runtime/* jsxs */.FD)("small", { children: ["\u00B7 ", host] })] }), (0,jsx_runtime/* jsx */.Y)(Summary, { checks: snapshot.checks })] }), (0,jsx_runtime/* jsx */.Y)("h2", { children: "Checks" }), snapshot.checks.length === 0 ? (0,jsx_runtime/* jsx */.Y)("p", { class: "empty", children: "No checks in berth.yml." }) : null, snapshot.checks.map((check) => ((0,jsx_runtime/* jsx */.Y)(CheckCard, { check: check, now: now }))), (0,jsx_runtime/* jsx */.Y)("h2", { children: "Backups" }), snapshot.backups.length === 0 ? (0,jsx_runtime/* jsx */.Y)("p", { class: "empty", children: "No backups in berth.yml." }) : null, (0,jsx_runtime/* jsx */.Y)("div", { class: "grid", children: snapshot.backups.map((backup) => ((0,jsx_runtime/* jsx */.Y)(BackupCard, { backup: backup, now: now }))) }), (0,jsx_runtime/* jsx */.Y)("h2", { children: "Recent deploys" }), (0,jsx_runtime/* jsx */.Y)(Deploys, { deploys: snapshot.deploys, now: now }), (0,jsx_runtime/* jsxs */.FD)("footer", { children: [(0,jsx_runtime/* jsxs */.FD)("span", { children: ["Updated ", stamp(now.toISOString()), " \u00B7 refreshes every ", REFRESH_SECONDS, " s"] }), canLogOut ? ((0,jsx_runtime/* jsx */.Y)("form", { method: "post", action: "/logout", children: (0,jsx_runtime/* jsx */.Y)("button", { type: "submit", children: "Log out" }) })) : null] })] }) }));
}
function LoginPage({ host, failed }) {
    return ((0,jsx_runtime/* jsx */.Y)(Layout, { title: `berth · ${host} · log in`, children: (0,jsx_runtime/* jsx */.Y)("main", { class: "login", children: (0,jsx_runtime/* jsxs */.FD)("form", { method: "post", action: "/login", class: "card", children: [(0,jsx_runtime/* jsxs */.FD)("h1", { children: ["berth ", (0,jsx_runtime/* jsxs */.FD)("small", { children: ["\u00B7 ", host] })] }), (0,jsx_runtime/* jsx */.Y)("p", { class: "state", children: "This status page is private. Enter the server's API token." }), failed ? (0,jsx_runtime/* jsx */.Y)("div", { class: "error", children: "That is not the API token." }) : null, (0,jsx_runtime/* jsx */.Y)("label", { for: "token", children: "API token" }), (0,jsx_runtime/* jsx */.Y)("input", { id: "token", name: "token", type: "password", autocomplete: "current-password", required: true, autofocus: true }), (0,jsx_runtime/* jsx */.Y)("button", { type: "submit", children: "Log in" })] }) }) }));
}
//# sourceMappingURL=status-page.js.map
// EXTERNAL MODULE: ./node_modules/hono/dist/helper/cookie/index.js + 1 modules
var cookie = __webpack_require__(6916);
;// CONCATENATED MODULE: ./build/server/http/session.js
/**
 * Who may see a private status page: the bearer token (like /api), or a session cookie that the
 * login form sets. The cookie is signed with the API token (HMAC), holds only its expiry, and
 * stops working when the token changes.
 */


const COOKIE = 'berth_session';
const SESSION_MS = 30 * 86_400_000;
const digest = (value) => (0,external_node_crypto_.createHash)('sha256').update(value).digest();
/** Compares digests in constant time, so neither the token's length nor its content leaks through timing. */
function sameToken(given, expected) {
    return given !== undefined && (0,external_node_crypto_.timingSafeEqual)(digest(given), digest(expected));
}
function bearer(c) {
    return /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
}
async function hasSession(c, token, now = Date.now()) {
    if (sameToken(bearer(c), token))
        return true;
    const expires = Number(await (0,cookie/* getSignedCookie */.N4)(c, token, COOKIE));
    return Number.isFinite(expires) && expires > now;
}
async function startSession(c, token, now = Date.now()) {
    await (0,cookie/* setSignedCookie */.$f)(c, COOKIE, String(now + SESSION_MS), token, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        maxAge: SESSION_MS / 1000,
        secure: new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https',
    });
}
function endSession(c) {
    (0,cookie/* deleteCookie */.Yj)(c, COOKIE, { path: '/' });
}
//# sourceMappingURL=session.js.map
;// CONCATENATED MODULE: ./build/server/http/status-routes.js

/** `/`: the status page, public or behind the token (bearer header, or a session from the login form). */




function statusRoutes(deps) {
    const routes = new hono_dist/* Hono */.$();
    const token = deps.visibility === 'private' ? deps.apiToken : undefined;
    routes.get('/', async (c) => {
        // A browser is sent to the form (a 401 page would log a console error); scripts use the bearer header.
        if (token && !(await hasSession(c, token)))
            return c.redirect('/login', 303);
        c.header('Cache-Control', 'no-store');
        const snapshot = await statusSnapshot(deps.sources);
        return c.html((0,jsx_runtime/* jsx */.Y)(StatusPage, { snapshot: snapshot, host: deps.host, canLogOut: token !== undefined }));
    });
    routes.get('/login', (c) => (token ? c.html((0,jsx_runtime/* jsx */.Y)(LoginPage, { host: deps.host, failed: false })) : c.redirect('/', 303)));
    routes.post('/login', async (c) => {
        if (!token)
            return c.redirect('/', 303);
        const form = await c.req.parseBody();
        const given = typeof form.token === 'string' ? form.token : undefined;
        if (!sameToken(given, token))
            return c.html((0,jsx_runtime/* jsx */.Y)(LoginPage, { host: deps.host, failed: true }));
        await startSession(c, token);
        return c.redirect('/', 303);
    });
    routes.post('/logout', (c) => {
        endSession(c);
        return c.redirect('/', 303);
    });
    return routes;
}
//# sourceMappingURL=status-routes.js.map
;// CONCATENATED MODULE: ./build/server/http/app.js
/** The Hono app: /healthz (open), the status page, /metrics, /api behind a bearer token, errors as JSON in one place. */









function createApp(deps) {
    const app = new hono_dist/* Hono */.$();
    app.get('/healthz', (c) => c.json({ status: 'ok' }));
    app.route('/', statusRoutes({
        sources: { checks: deps.checks, backups: deps.backups, catalog: deps.catalog, deploys: deps.deploys },
        apiToken: deps.apiToken,
        visibility: deps.statusPage ?? 'private',
        host: deps.host ?? (0,external_node_os_.hostname)(),
    }));
    const metrics = deps.metrics;
    if (metrics) {
        if (deps.apiToken)
            app.use('/metrics', requireToken(deps.apiToken));
        app.get('/metrics', async (c) => c.body(await metrics.metrics(), 200, { 'Content-Type': metrics.contentType }));
    }
    const api = new hono_dist/* Hono */.$();
    // A missing or wrong token gets 401 before any handler runs.
    if (deps.apiToken)
        api.use('*', requireToken(deps.apiToken));
    api.route('/backups', backupsRoutes(deps.backups, deps.catalog));
    api.route('/checks', checksRoutes(deps.checks));
    app.route('/api', api);
    app.notFound((c) => c.json({ error: `No route for ${c.req.method} ${c.req.path}.` }, 404));
    app.onError((error, c) => {
        if (error instanceof http_exception/* HTTPException */.y)
            return error.getResponse();
        if (error instanceof NotFoundError)
            return c.json({ error: (0,errors/* describeError */.Uc)(error) }, 404);
        if (error instanceof BusyError)
            return c.json({ error: (0,errors/* describeError */.Uc)(error) }, 409);
        deps.logger.error(`${c.req.method} ${c.req.path}: ${(0,errors/* describeError */.Uc)(error)}`);
        return c.json({ error: error instanceof errors/* BerthError */.e4 ? (0,errors/* describeError */.Uc)(error) : 'Internal error; see the server log.' }, 500);
    });
    return app;
}
//# sourceMappingURL=app.js.map
// EXTERNAL MODULE: ./build/core/redact.js
var redact = __webpack_require__(193);
;// CONCATENATED MODULE: ./build/server/log/json-logger.js

/** Removes URL passwords, bearer tokens and the given secret values from a text. */
function json_logger_redact(text, secrets = []) {
    let out = (0,redact/* redactUrlPasswords */.BM)(text);
    out = out.replace(/\b(Bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${redact/* REDACTED */.XF}`);
    out = out.replace(/\b(PGPASSWORD|password)=\S+/gi, `$1=${redact/* REDACTED */.XF}`);
    for (const secret of secrets)
        if (secret.length >= 4)
            out = out.split(secret).join(redact/* REDACTED */.XF);
    return out;
}
function jsonLogger(write = (line) => process.stdout.write(line)) {
    const secrets = [];
    const log = (level) => (message) => write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: json_logger_redact(message, secrets) })}\n`);
    return {
        debug: (message) => {
            if (process.env.BERTH_DEBUG)
                log('debug')(message);
        },
        info: log('info'),
        warn: log('warn'),
        error: log('error'),
        addSecrets: (...values) => {
            for (const value of values)
                if (value && value.length >= 4 && !secrets.includes(value))
                    secrets.push(value);
        },
    };
}
//# sourceMappingURL=json-logger.js.map
// EXTERNAL MODULE: ./node_modules/prom-client/index.js
var prom_client = __webpack_require__(5222);
;// CONCATENATED MODULE: ./build/server/metrics/metrics.js
/**
 * Prometheus metrics (prom-client) on a registry of the server's own: check state and latency,
 * backup age, size and last result, and Node's process metrics. Gauges read the services when
 * scraped; latencies are observed as checks finish. Other parts add their metrics to `registry`.
 */

const seconds = (iso) => Date.parse(iso) / 1000;
function createMetrics(sources) {
    const registry = new prom_client.Registry();
    (0,prom_client.collectDefaultMetrics)({ register: registry, prefix: 'berth_' });
    const clock = sources.clock ?? (() => new Date());
    new prom_client.Gauge({
        name: 'berth_check_up',
        help: 'Whether a check is up (1) or down (0); absent until its state is known.',
        labelNames: ['check', 'type'],
        registers: [registry],
        async collect() {
            this.reset();
            for (const check of await sources.checks.healths()) {
                if (check.health !== 'unknown')
                    this.set({ check: check.name, type: check.type }, check.health === 'up' ? 1 : 0);
            }
        },
    });
    const latency = new prom_client.Histogram({
        name: 'berth_check_duration_seconds',
        help: 'How long check runs took, by check and outcome.',
        labelNames: ['check', 'type', 'result'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
    });
    const lastRun = new prom_client.Gauge({
        name: 'berth_check_last_run_timestamp_seconds',
        help: 'When each check last ran (Unix time).',
        labelNames: ['check'],
        registers: [registry],
    });
    /** A gauge with one series per backup, valued from its newest good catalog entry when there is one. */
    const newestGood = (name, help, value) => new prom_client.Gauge({
        name,
        help,
        labelNames: ['backup'],
        registers: [registry],
        async collect() {
            this.reset();
            for (const backup of sources.backups.names()) {
                const [good] = await sources.catalog.good(backup);
                const measured = good ? value(good) : null;
                if (measured !== null)
                    this.set({ backup }, measured);
            }
        },
    });
    newestGood('berth_backup_last_success_timestamp_seconds', 'When the newest good backup started (Unix time).', (g) => seconds(g.startedAt));
    newestGood('berth_backup_age_seconds', 'Age of the newest good backup.', (g) => clock().getTime() / 1000 - seconds(g.startedAt));
    newestGood('berth_backup_size_bytes', 'Size of the newest good backup file.', (g) => g.sizeBytes);
    new prom_client.Gauge({
        name: 'berth_backup_last_run_success',
        help: 'Whether the latest backup run succeeded (1) or failed (0); absent while none finished.',
        labelNames: ['backup'],
        registers: [registry],
        async collect() {
            this.reset();
            for (const name of sources.backups.names()) {
                const finished = (await sources.catalog.list(name, 5)).find((e) => e.status !== 'running');
                if (finished)
                    this.set({ backup: name }, finished.status === 'succeeded' ? 1 : 0);
            }
        },
    });
    new prom_client.Gauge({
        name: 'berth_backup_fresh',
        help: 'Whether the newest good backup is as recent as the schedule says (1), or stale or missing (0).',
        labelNames: ['backup'],
        registers: [registry],
        async collect() {
            this.reset();
            for (const backup of await sources.backups.overview())
                this.set({ backup: backup.name }, backup.freshness.status === 'fresh' ? 1 : 0);
        },
    });
    return {
        registry,
        observeCheck: (config, result) => {
            latency.observe({ check: config.name, type: config.type, result: result.ok ? 'ok' : 'fail' }, result.latencyMs / 1000);
            lastRun.set({ check: config.name }, seconds(result.at));
        },
    };
}
//# sourceMappingURL=metrics.js.map
// EXTERNAL MODULE: ./node_modules/croner/dist/croner.js
var croner = __webpack_require__(5814);
;// CONCATENATED MODULE: ./build/server/schedule/cron-jobs.js
/**
 * Runs jobs on cron schedules (croner, with the dialect config validation uses). One timer per
 * distinct schedule, however many jobs share it (croner keeps a 10,000-entry year table per
 * pattern: 200 checks on one schedule are one timer, not 200). A tick while the same job still
 * runs is skipped and logged; a job's error is logged, never thrown into the timer.
 * With shared storage, each tick is first claimed, so of several servers exactly one runs it.
 */




/** Every tick is ours: one server, nothing shared. */
const soloClaimer = { claim: async () => true };
/**
 * Claims a tick; when the storage cannot be asked (PostgreSQL restarting) the tick runs here anyway:
 * a check run twice by two servers is better than none while the database is away.
 */
async function tryClaim(claimer, key, tick, logger) {
    try {
        return await claimer.claim(key, tick);
    }
    catch (error) {
        logger.warn(`${key}: could not claim tick ${tick.toISOString()} (${(0,errors/* describeError */.Uc)(error)}); running it here`);
        return true;
    }
}
function scheduleJobs(jobs, logger, claimer = soloClaimer) {
    const running = new Set();
    async function runTick(job, tick) {
        if (running.has(job.key))
            return logger.warn(`${job.key}: skipped a tick: the previous run is still going`);
        running.add(job.key);
        try {
            if (!(await tryClaim(claimer, job.key, tick, logger))) {
                logger.debug(`${job.key}: tick ${tick.toISOString()} runs on another server`);
                return;
            }
            await job.run(tick);
        }
        catch (error) {
            // Busy: the same job runs already (started through the API): this tick is skipped, not failed.
            if (error instanceof BusyError)
                logger.warn(`${job.key}: skipped a tick: ${error.message}`);
            else
                logger.error(`${job.key}: ${(0,errors/* describeError */.Uc)(error)}`);
        }
        finally {
            running.delete(job.key);
        }
    }
    const groups = new Map();
    for (const job of jobs) {
        const key = `${job.schedule}\u0000${job.timezone ?? ''}`;
        groups.set(key, [...(groups.get(key) ?? []), job]);
    }
    const crons = [...groups.values()].map((group) => {
        const { schedule, timezone } = group[0];
        return new croner/* Cron */.l4(schedule, { ...(0,backup_schedule/* cronOptions */.fL)(timezone), paused: false }, () => {
            // The timer fires at or just after the scheduled time, never before: the tick is the latest one
            // due, the same on every server, so claims are keyed alike everywhere.
            const tick = (0,backup_schedule/* previousOccurrence */.lM)(schedule, timezone, new Date());
            if (!tick)
                return logger.error(`'${schedule}' fired with no scheduled time before now`);
            for (const job of group)
                void runTick(job, tick);
        });
    });
    return {
        stop: () => {
            for (const cron of crons)
                cron.stop();
        },
    };
}
//# sourceMappingURL=cron-jobs.js.map
// EXTERNAL MODULE: ./build/server/storage/backup-catalog.js
var backup_catalog = __webpack_require__(122);
;// CONCATENATED MODULE: ./build/server/storage/check-store.js
/** Check results (bounded per check), each check's current state, and its state changes. */

/** Results kept per check: the newest this many, and none older than RESULTS_MAX_AGE_MS. */
const RESULTS_KEPT = 1000;
const RESULTS_MAX_AGE_MS = 30 * 86_400_000;
/** Pruning runs every this many results of a check, not on each one. */
const PRUNE_EVERY = 10;
const fromResultRow = (row) => ({
    at: row.at,
    ok: Number(row.ok) === 1,
    latencyMs: Number(row.latency_ms),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.details === null ? {} : { details: JSON.parse(row.details) }),
});
const fromStateRow = (row) => ({
    health: row.health,
    since: row.since,
    failuresInRow: Number(row.failures_in_row),
    successesInRow: Number(row.successes_in_row),
    failingSince: row.failing_since,
});
class CheckStore {
    storage;
    clock;
    writes = new Map();
    constructor(storage, clock = () => new Date()) {
        this.storage = storage;
        this.clock = clock;
    }
    async record(name, result) {
        await this.storage.run('INSERT INTO check_results (id, check_name, at, ok, latency_ms, error, details) VALUES (?, ?, ?, ?, ?, ?, ?)', [
            (0,external_node_crypto_.randomUUID)(),
            name,
            result.at,
            result.ok ? 1 : 0,
            result.latencyMs,
            result.error ?? null,
            result.details ? JSON.stringify(result.details) : null,
        ]);
        const count = (this.writes.get(name) ?? 0) + 1;
        this.writes.set(name, count);
        if (count % PRUNE_EVERY === 1)
            await this.prune(name);
    }
    /** Drops results past the newest RESULTS_KEPT, and any older than RESULTS_MAX_AGE_MS. */
    async prune(name) {
        const cutoff = new Date(this.clock().getTime() - RESULTS_MAX_AGE_MS).toISOString();
        await this.storage.run(`DELETE FROM check_results WHERE check_name = ? AND (at < ? OR at < (
         SELECT at FROM check_results WHERE check_name = ? ORDER BY at DESC LIMIT 1 OFFSET ?))`, [name, cutoff, name, RESULTS_KEPT - 1]);
    }
    /** Newest first. */
    async history(name, limit) {
        const rows = await this.storage.all('SELECT at, ok, latency_ms, error, details FROM check_results WHERE check_name = ? ORDER BY at DESC LIMIT ?', [name, limit]);
        return rows.map(fromResultRow);
    }
    /** The stored state and when it was saved. */
    async state(name) {
        const [row] = await this.storage.all('SELECT * FROM check_states WHERE check_name = ?', [name]);
        return row ? { state: fromStateRow(row), savedAt: row.updated_at } : undefined;
    }
    async states() {
        const rows = await this.storage.all('SELECT * FROM check_states');
        return new Map(rows.map((row) => [row.check_name, fromStateRow(row)]));
    }
    async saveState(name, state, savedAt) {
        await this.storage.run(`INSERT INTO check_states (check_name, health, since, failures_in_row, successes_in_row, failing_since, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (check_name) DO UPDATE SET health = excluded.health, since = excluded.since,
         failures_in_row = excluded.failures_in_row, successes_in_row = excluded.successes_in_row,
         failing_since = excluded.failing_since, updated_at = excluded.updated_at`, [name, state.health, state.since, state.failuresInRow, state.successesInRow, state.failingSince, savedAt]);
    }
    async addEvent(name, transition, at, error) {
        await this.storage.run('INSERT INTO check_events (id, check_name, at, from_health, to_health, since, error) VALUES (?, ?, ?, ?, ?, ?, ?)', [(0,external_node_crypto_.randomUUID)(), name, at, transition.from, transition.to, transition.since, error ?? null]);
    }
    /** State changes, newest first. */
    async events(name, limit) {
        const rows = await this.storage.all('SELECT at, from_health, to_health, since, error FROM check_events WHERE check_name = ? ORDER BY at DESC LIMIT ?', [name, limit]);
        return rows.map((row) => ({ at: row.at, from: row.from_health, to: row.to_health, since: row.since, error: row.error }));
    }
}
//# sourceMappingURL=check-store.js.map
// EXTERNAL MODULE: ./build/server/storage/storage.js + 1 modules
var storage_storage = __webpack_require__(8998);
// EXTERNAL MODULE: ./build/server/server-id.js
var server_id = __webpack_require__(6785);
;// CONCATENATED MODULE: ./build/server/storage/tick-claims.js

/** Claims older than this are deleted; ticks that old are long done. */
const CLAIMS_KEPT_MS = 86_400_000;
const tick_claims_PRUNE_EVERY = 500;
class StorageTickClaimer {
    storage;
    serverId;
    clock;
    claims = 0;
    constructor(storage, serverId = server_id/* SERVER_ID */.i, clock = () => new Date()) {
        this.storage = storage;
        this.serverId = serverId;
        this.clock = clock;
    }
    async claim(job, tick) {
        const now = this.clock();
        const changed = await this.storage.run('INSERT INTO job_claims (job, tick, claimed_by, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT (job, tick) DO NOTHING', [job, tick.toISOString(), this.serverId, now.toISOString()]);
        if (++this.claims % tick_claims_PRUNE_EVERY === 1)
            await this.storage.run('DELETE FROM job_claims WHERE claimed_at < ?', [new Date(now.getTime() - CLAIMS_KEPT_MS).toISOString()]);
        return changed === 1;
    }
}
//# sourceMappingURL=tick-claims.js.map
;// CONCATENATED MODULE: ./build/server/main.js
/** `berth server`: config → storage → backups, checks and their schedule → HTTP, with a graceful stop on SIGTERM. */

















/** How long running backups get to finish after SIGTERM before they are stopped and cleaned up. */
const SHUTDOWN_GRACE_MS = 60_000;
/** Every value that must never reach a log: the token, the webhook secret, passwords in URLs. */
function secretsOf(config) {
    const password = (url) => {
        const value = new URL(url).password;
        return value ? decodeURIComponent(value) : undefined;
    };
    return [
        config.apiToken,
        config.github.webhookSecret,
        config.storage.kind === 'postgres' ? password(config.storage.url) : undefined,
        ...config.backups.map((b) => (b.source.kind === 'url' ? password(b.source.url) : undefined)),
        ...config.checks.map((c) => (c.type === 'postgres' || c.type === 'http' ? password(c.url) : undefined)),
        ...config.alerts.map((a) => (a.type === 'telegram' ? a.token : a.url)),
    ];
}
async function startServer(argv, env) {
    const { values } = (0,external_node_util_.parseArgs)({ args: [...argv], options: { config: { type: 'string', short: 'c' } }, strict: true });
    const logger = jsonLogger();
    const config = await (0,load_config/* loadConfig */.Z9)(values.config ?? env.BERTH_CONFIG, env);
    logger.addSecrets(...secretsOf(config));
    const storage = await (0,storage_storage/* openStorage */.G)(config.storage, logger);
    const catalog = new backup_catalog/* BackupCatalog */.S(storage);
    await catalog.failInterrupted(new Date().toISOString());
    const alerts = loggingAlertSink(logger);
    const backups = new BackupService(config.backups, catalog, logger, undefined, alerts);
    await backups.removeLeftovers();
    // Metrics read the check service, and the service reports each run to them: bound once both exist.
    const checks = new CheckService(config.checks, {
        store: new CheckStore(storage),
        alerts,
        logger,
        observe: (check, result) => metrics.observeCheck(check, result),
    });
    const metrics = createMetrics({ checks, backups, catalog });
    const jobs = [...backupJobs(config.backups, backups, logger), ...checkJobs(checks, logger)];
    const scheduler = scheduleJobs(jobs, logger, new StorageTickClaimer(storage));
    const app = createApp({
        apiToken: config.apiToken,
        backups,
        catalog,
        checks,
        logger,
        statusPage: config.statusPage,
        metrics: metrics.registry,
    });
    const hostname = config.apiToken ? '0.0.0.0' : '127.0.0.1';
    const server = (0,dist/* serve */.wX)({ fetch: app.fetch, port: config.port, hostname });
    await new Promise((resolve, reject) => {
        server.once('listening', resolve);
        server.once('error', reject);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info(`berth server listening on ${hostname}:${port} (storage: ${config.storage.kind}; ${config.backups.length} backup(s), ${config.checks.length} check(s))${config.apiToken ? '' : '; no api-token: the API answers on 127.0.0.1 only'}`);
    let stopped;
    const stop = () => (stopped ??= (async () => {
        logger.info('stopping: no new backups or checks; waiting for running backups');
        scheduler.stop();
        const closed = new Promise((resolve) => server.close(() => resolve()));
        await Promise.all([backups.drain(SHUTDOWN_GRACE_MS), checks.drain()]);
        await closed;
        await storage.close();
        logger.info('stopped');
    })());
    return { port, hostname, stop };
}
/** The process entry: starts, and stops on SIGTERM/SIGINT. */
async function serverMain(argv, env) {
    try {
        const server = await startServer(argv, env);
        for (const signal of ['SIGTERM', 'SIGINT'])
            process.once(signal, () => void server.stop().then(() => process.exit(0)));
    }
    catch (error) {
        process.stderr.write(`berth server: ${(0,errors/* describeError */.Uc)(error)}\n`);
        process.exit(1);
    }
}
//# sourceMappingURL=main.js.map

/***/ })

};
