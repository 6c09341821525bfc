export const id = 441;
export const ids = [441];
export const modules = {

/***/ 3441:
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
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./build/server/storage/storage.js + 1 modules
var storage_storage = __webpack_require__(8998);
;// CONCATENATED MODULE: ./build/server/storage/alert-store.js
/**
 * The alert outbox: one row per alert (idempotent on its key, so a state change raised twice is one
 * alert) and one row per (alert, channel) delivery. Deliveries are claimed by one server at a time:
 * `FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one process. A claimed row holds a lease
 * (`next_at`) so a server that died mid-send leaves it to be sent again, not lost.
 */


const fromAlertRow = (row) => ({
    id: row.id,
    key: row.alert_key,
    event: JSON.parse(row.event),
    context: JSON.parse(row.context),
    createdAt: row.created_at,
    status: row.status,
    statusReason: row.status_reason,
});
const fromDeliveryRow = (row) => ({
    id: row.id,
    alertId: row.alert_id,
    channel: row.channel,
    state: row.state,
    attempts: Number(row.attempts),
    nextAt: row.next_at,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
});
/** The alert id for a key: the same on every server, so the insert is the arbiter. */
const alertId = (key) => (0,external_node_crypto_.createHash)('sha256').update(key).digest('hex').slice(0, 24);
/** What an alert is about (a check, a backup, an environment, a workflow): for matching and filtering. */
function subjectOf(event) {
    switch (event.kind) {
        case 'check_down':
        case 'check_recovered':
            return event.check;
        case 'backup_failed':
        case 'backup_stale':
        case 'retention_failed':
            return event.backup;
        case 'deploy_failed':
            return event.environment;
        case 'workflow_failed':
            return event.workflow;
    }
}
class AlertStore {
    storage;
    constructor(storage) {
        this.storage = storage;
    }
    /** Stores the alert unless one with its key exists; true when this call stored it. */
    async insert(alert, status, reason = null) {
        const rows = await this.storage.all(`INSERT INTO alerts (id, alert_key, kind, subject, status, status_reason, event, context, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`, [
            alert.id,
            alert.key,
            alert.event.kind,
            subjectOf(alert.event),
            status,
            reason,
            JSON.stringify(alert.event),
            JSON.stringify(alert.context),
            alert.createdAt,
        ]);
        return rows.length === 1;
    }
    /**
     * Moves a subject (`check:web`) to `state` for the alert `key`, unless it is in that state already;
     * true for the one caller that moved it, and again for that caller's retry (same key). Two servers
     * that saw the same change (each with its own times, so its own key) announce it once: PostgreSQL
     * makes the second upsert wait for the first and then finds the state already set.
     */
    async gate(subject, state, key, at) {
        const moved = await this.storage.all(`INSERT INTO alert_states (subject, state, alert_key, changed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (subject) DO UPDATE SET state = excluded.state, alert_key = excluded.alert_key, changed_at = excluded.changed_at
       WHERE alert_states.state <> excluded.state
       RETURNING subject`, [subject, state, key, at]);
        if (moved.length === 1)
            return true;
        const [row] = await this.storage.all('SELECT alert_key FROM alert_states WHERE subject = ?', [subject]);
        return row?.alert_key === key;
    }
    /** Whether the storage answers: an alert that cannot be stored while it does is dropped, not retried forever. */
    async reachable() {
        return (0,storage_storage/* storageAnswers */.jB)(this.storage);
    }
    /** One pending delivery per channel; repeating it adds nothing. */
    async addDeliveries(id, channels, at) {
        if (channels.length === 0)
            return;
        const values = channels.map(() => "(?, ?, ?, 'pending', 0, ?, ?)").join(', ');
        const params = channels.flatMap((channel) => [`${id}/${channel}`, id, channel, at, at]);
        await this.storage.run(`INSERT INTO alert_deliveries (id, alert_id, channel, state, attempts, next_at, created_at) VALUES ${values} ON CONFLICT DO NOTHING`, params);
    }
    /** Moves an alert from `from` to `to`; true for the one caller that moved it. */
    async setStatus(id, from, to, reason) {
        const rows = await this.storage.all('UPDATE alerts SET status = ?, status_reason = ? WHERE id = ? AND status = ? RETURNING id', [
            to,
            reason,
            id,
            from,
        ]);
        return rows.length === 1;
    }
    async get(id) {
        const [row] = await this.storage.all('SELECT * FROM alerts WHERE id = ?', [id]);
        return row ? fromAlertRow(row) : undefined;
    }
    /** Held alerts, oldest first. */
    async held() {
        const rows = await this.storage.all("SELECT * FROM alerts WHERE status = 'held' ORDER BY created_at");
        return rows.map(fromAlertRow);
    }
    /** The newest alert of a kind about a subject. */
    async latest(kind, subject) {
        const [row] = await this.storage.all('SELECT * FROM alerts WHERE kind = ? AND subject = ? ORDER BY created_at DESC LIMIT 1', [
            kind,
            subject,
        ]);
        return row ? fromAlertRow(row) : undefined;
    }
    /** Newest first. */
    async list(limit, kind) {
        const rows = kind
            ? await this.storage.all('SELECT * FROM alerts WHERE kind = ? ORDER BY created_at DESC LIMIT ?', [kind, limit])
            : await this.storage.all('SELECT * FROM alerts ORDER BY created_at DESC LIMIT ?', [limit]);
        return rows.map(fromAlertRow);
    }
    async deliveriesOf(alertIds) {
        if (alertIds.length === 0)
            return [];
        const rows = await this.storage.all(`SELECT * FROM alert_deliveries WHERE alert_id IN (${alertIds.map(() => '?').join(', ')}) ORDER BY created_at`, alertIds);
        return rows.map(fromDeliveryRow);
    }
    /** A channel's latest attempted deliveries, newest first. */
    async recentAttempts(channel, limit) {
        const rows = await this.storage.all('SELECT * FROM alert_deliveries WHERE channel = ? AND last_attempt_at IS NOT NULL ORDER BY last_attempt_at DESC LIMIT ?', [channel, limit]);
        return rows.map(fromDeliveryRow);
    }
    /**
     * Claims the head of a channel's queue (its oldest unsettled delivery) when it is due: pending and
     * due, or sending with a lapsed claim. It becomes `sending` until `leaseUntil`, one more try counted.
     * Only the head is ever taken, so a channel gets its alerts in order (a down before its recovery)
     * even from several servers: while one server claims or posts the head, the others take nothing
     * (PostgreSQL: `FOR UPDATE SKIP LOCKED` on the head row, then the due check on its latest version).
     */
    async claim(channel, now, leaseUntil) {
        const lock = this.storage.kind === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
        const [row] = await this.storage.all(`UPDATE alert_deliveries SET state = 'sending', attempts = attempts + 1, next_at = ?, last_attempt_at = ?
       WHERE id = (SELECT id FROM alert_deliveries WHERE id = (
                     SELECT id FROM alert_deliveries WHERE channel = ? AND state IN ('pending', 'sending') ORDER BY created_at, id LIMIT 1
                   )${lock})
         AND state IN ('pending', 'sending') AND next_at <= ?
       RETURNING *`, [leaseUntil, now, channel, now]);
        return row ? fromDeliveryRow(row) : undefined;
    }
    /** Records the outcome of the attempt `claimed` made; nothing when the claim lapsed and another server took it. */
    async settle(claimed, outcome) {
        const sql = outcome.state === 'delivered'
            ? "UPDATE alert_deliveries SET state = 'delivered', delivered_at = ? WHERE id = ? AND state = 'sending' AND attempts = ?"
            : 'UPDATE alert_deliveries SET state = ?, last_error = ?, next_at = ? WHERE id = ? AND state = ? AND attempts = ?';
        const params = outcome.state === 'delivered'
            ? [outcome.at, claimed.id, claimed.attempts]
            : [outcome.state, outcome.error, outcome.nextAt, claimed.id, 'sending', claimed.attempts];
        await this.storage.run(sql, params);
    }
    /** A claim given back unsent (the server is stopping): pending again, the attempt not counted. */
    async release(claimed, at) {
        await this.storage.run("UPDATE alert_deliveries SET state = 'pending', attempts = attempts - 1, next_at = ? WHERE id = ? AND state = 'sending' AND attempts = ?", [at, claimed.id, claimed.attempts]);
    }
    /** Claims no process holds any more: with SQLite (one process), every `sending` row at start. */
    async releaseAllClaims(at) {
        const rows = await this.storage.all("UPDATE alert_deliveries SET state = 'pending', attempts = attempts - 1, next_at = ? WHERE state = 'sending' RETURNING id", [at]);
        return rows.length;
    }
    /** Deliveries to channels no longer configured are failed, so they do not wait forever. */
    async failOrphans(channels, at) {
        const known = channels.length > 0 ? `AND channel NOT IN (${channels.map(() => '?').join(', ')})` : '';
        const rows = await this.storage.all(`UPDATE alert_deliveries SET state = 'failed', last_error = 'the channel is no longer configured', next_at = ?
       WHERE state IN ('pending', 'sending') ${known} RETURNING id`, [at, ...channels]);
        return rows.length;
    }
    /** The earliest time a pending delivery is due, if any. */
    async nextDue() {
        const [row] = await this.storage.all("SELECT MIN(next_at) AS next FROM alert_deliveries WHERE state = 'pending'");
        return row?.next ?? undefined;
    }
    /** Removes alerts (and their deliveries) created before `before`. */
    async prune(before) {
        await this.storage.run('DELETE FROM alert_deliveries WHERE alert_id IN (SELECT id FROM alerts WHERE created_at < ?)', [before]);
        await this.storage.run('DELETE FROM alerts WHERE created_at < ?', [before]);
    }
}
//# sourceMappingURL=alert-store.js.map
;// CONCATENATED MODULE: ./build/server/storage/deployment-store.js
/** States GitHub gives a deployment that has not finished. */
const UNFINISHED_STATES = ['queued', 'pending', 'in_progress'];
const fromRow = (row) => ({
    statusId: Number(row.status_id),
    deploymentId: Number(row.deployment_id),
    repository: row.repository,
    environment: row.environment,
    state: row.state,
    sha: row.sha,
    ref: row.ref,
    description: row.description,
    creator: row.creator,
    logUrl: row.log_url,
    environmentUrl: row.environment_url,
    createdAt: row.created_at,
});
/** Statuses (oldest first) of one deployment → the deployment as its latest status says. */
function toDeployment(statuses) {
    const first = statuses[0];
    const last = statuses[statuses.length - 1];
    return {
        id: last.deploymentId,
        repository: last.repository,
        environment: last.environment,
        sha: last.sha,
        ref: last.ref,
        state: last.state,
        description: last.description,
        creator: last.creator,
        logUrl: [...statuses].reverse().find((s) => s.logUrl)?.logUrl ?? null,
        environmentUrl: [...statuses].reverse().find((s) => s.environmentUrl)?.environmentUrl ?? null,
        startedAt: first.createdAt,
        updatedAt: last.createdAt,
        statuses: statuses.map((s) => ({ state: s.state, at: s.createdAt, description: s.description })),
    };
}
class DeploymentStore {
    storage;
    constructor(storage) {
        this.storage = storage;
    }
    /** Whether a delivery id was handled before (a redelivery, or the same delivery at another server). */
    async seenDelivery(id) {
        return (await this.storage.all('SELECT id FROM webhook_deliveries WHERE id = ?', [id])).length > 0;
    }
    /** Records a handled delivery's id (once, whichever server handled it). */
    async markDelivery(id, event, action, at) {
        await this.storage.run('INSERT INTO webhook_deliveries (id, event, action, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [
            id,
            event,
            action,
            at,
        ]);
    }
    /** Records a status; false when it was recorded before. */
    async record(status, receivedAt) {
        const rows = await this.storage.all(`INSERT INTO deployment_statuses (status_id, deployment_id, repository, environment, state, sha, ref, description, creator,
         log_url, environment_url, created_at, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING status_id`, [
            status.statusId,
            status.deploymentId,
            status.repository,
            status.environment,
            status.state,
            status.sha,
            status.ref,
            status.description,
            status.creator,
            status.logUrl,
            status.environmentUrl,
            status.createdAt,
            receivedAt,
        ]);
        return rows.length === 1;
    }
    /** The latest deployments, newest first, optionally of one environment. */
    async recent(limit, environment) {
        const filter = environment ? 'WHERE environment = ?' : '';
        const ids = await this.storage.all(`SELECT deployment_id, MAX(status_id) AS latest FROM deployment_statuses ${filter}
       GROUP BY deployment_id ORDER BY latest DESC LIMIT ?`, environment ? [environment, limit] : [limit]);
        if (ids.length === 0)
            return [];
        const rows = await this.storage.all(`SELECT * FROM deployment_statuses WHERE deployment_id IN (${ids.map(() => '?').join(', ')}) ORDER BY status_id`, ids.map((r) => Number(r.deployment_id)));
        const statuses = rows.map(fromRow);
        return ids.map((r) => toDeployment(statuses.filter((s) => s.deploymentId === Number(r.deployment_id))));
    }
    /** The latest deployments as the status page lists them: environment, state, ref, commit, when, the run's link. */
    async views(limit) {
        return (await this.recent(limit)).map((d) => ({
            environment: d.environment,
            state: d.state,
            ref: d.ref,
            sha: d.sha,
            at: d.updatedAt,
            url: d.logUrl,
        }));
    }
    /** Deployments whose latest status is unfinished, received since `since` (older ones lost their end). */
    async unfinished(since) {
        const rows = await this.storage.all(`SELECT * FROM deployment_statuses WHERE status_id IN (
         SELECT MAX(status_id) FROM deployment_statuses WHERE received_at >= ? GROUP BY deployment_id)
       AND state IN (${UNFINISHED_STATES.map(() => '?').join(', ')})`, [since, ...UNFINISHED_STATES]);
        return rows.map(fromRow);
    }
    /** The newest successful deployment of an environment: the commit that should be live there. */
    async lastSuccess(environment) {
        const [row] = await this.storage.all("SELECT * FROM deployment_statuses WHERE environment = ? AND state = 'success' ORDER BY status_id DESC LIMIT 1", [environment]);
        return row ? fromRow(row) : undefined;
    }
    /** Forgets delivery ids received before `before` (GitHub redelivers for a few days at most). */
    async pruneDeliveries(before) {
        await this.storage.run('DELETE FROM webhook_deliveries WHERE received_at < ?', [before]);
    }
}
//# sourceMappingURL=deployment-store.js.map
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(8816);
;// CONCATENATED MODULE: ./build/server/webhooks/github-payloads.js
/**
 * The parts of GitHub's webhook payloads berth reads, as zod schemas: a signed payload without them
 * is answered 400 naming the missing field, instead of failing somewhere later. Other fields are ignored.
 */

const repository = schemas/* object */.Ikc({ full_name: schemas/* string */.YjP() });
const login = schemas/* object */.Ikc({ login: schemas/* string */.YjP() }).nullish();
const deploymentStatusPayload = schemas/* object */.Ikc({
    deployment_status: schemas/* object */.Ikc({
        id: schemas/* number */.aig(),
        state: schemas/* string */.YjP(),
        description: schemas/* string */.YjP().nullish(),
        environment: schemas/* string */.YjP().nullish(),
        log_url: schemas/* string */.YjP().nullish(),
        target_url: schemas/* string */.YjP().nullish(),
        environment_url: schemas/* string */.YjP().nullish(),
        created_at: schemas/* string */.YjP(),
        creator: login,
    }),
    deployment: schemas/* object */.Ikc({
        id: schemas/* number */.aig(),
        sha: schemas/* string */.YjP(),
        ref: schemas/* string */.YjP(),
        environment: schemas/* string */.YjP(),
        creator: login,
    }),
    repository,
});
const workflowRunPayload = schemas/* object */.Ikc({
    action: schemas/* string */.YjP(),
    workflow_run: schemas/* object */.Ikc({
        id: schemas/* number */.aig(),
        name: schemas/* string */.YjP().nullish(),
        run_number: schemas/* number */.aig(),
        run_attempt: schemas/* number */.aig().nullish(),
        conclusion: schemas/* string */.YjP().nullish(),
        head_branch: schemas/* string */.YjP().nullish(),
        head_sha: schemas/* string */.YjP(),
        html_url: schemas/* string */.YjP(),
        event: schemas/* string */.YjP(),
        updated_at: schemas/* string */.YjP().nullish(),
        actor: login,
    }),
    workflow: schemas/* object */.Ikc({ name: schemas/* string */.YjP().nullish() }).nullish(),
    repository,
});
//# sourceMappingURL=github-payloads.js.map
;// CONCATENATED MODULE: ./build/server/webhooks/github-events.js



/** A signed payload that lacks what its event must have: answered 400. */
class PayloadError extends errors/* BerthError */.e4 {
    name = 'PayloadError';
}
/** Conclusions of a completed run that mean it failed (not `cancelled`, `skipped` or `neutral`). */
const FAILING_CONCLUSIONS = ['failure', 'timed_out', 'startup_failure'];
function parsed(schema, payload, event) {
    const result = schema.safeParse(payload);
    if (result.success)
        return result.data;
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'the body'}: ${issue.message}`);
    throw new PayloadError(`The ${event} payload is not what GitHub sends: ${problems.slice(0, 5).join('; ')}.`);
}
function deploymentStatusRecord(payload) {
    const { deployment_status: status, deployment, repository } = parsed(deploymentStatusPayload, payload, 'deployment_status');
    return {
        statusId: status.id,
        deploymentId: deployment.id,
        repository: repository.full_name,
        environment: status.environment || deployment.environment,
        state: status.state,
        sha: deployment.sha,
        ref: deployment.ref,
        description: status.description || null,
        creator: status.creator?.login ?? deployment.creator?.login ?? null,
        logUrl: status.log_url || status.target_url || null,
        environmentUrl: status.environment_url || null,
        createdAt: status.created_at,
    };
}
class GithubEvents {
    deps;
    clock;
    constructor(deps) {
        this.deps = deps;
        this.clock = deps.clock ?? (() => new Date());
    }
    async handle(delivery) {
        if (delivery.name === 'ping')
            return { result: 'pong' };
        const action = delivery.payload?.action;
        const { deployments } = this.deps;
        const now = this.clock().toISOString();
        // Checked before anything is stored, so a malformed body leaves nothing behind.
        const handler = this.handlerFor(delivery);
        if (await deployments.seenDelivery(delivery.id))
            return { result: 'duplicate', detail: `delivery ${delivery.id} was handled before` };
        const outcome = await handler(now);
        // Marked only once handled: a delivery the storage failed mid-way is handled again when GitHub redelivers
        // it (marked first, it would be answered "duplicate" and lost). Two servers handling one delivery at once
        // do no harm: a status is keyed by its id and an alert by its key.
        await deployments.markDelivery(delivery.id, delivery.name, typeof action === 'string' ? action : null, now);
        return outcome;
    }
    handlerFor(delivery) {
        switch (delivery.name) {
            case 'deployment_status': {
                const record = deploymentStatusRecord(delivery.payload);
                return (now) => this.deploymentStatus(record, now);
            }
            case 'workflow_run': {
                const run = parsed(workflowRunPayload, delivery.payload, 'workflow_run');
                return async () => this.workflowRun(run);
            }
            default:
                return async () => ({ result: 'ignored', detail: `berth does not act on ${delivery.name} events` });
        }
    }
    async deploymentStatus(status, now) {
        const { deployments, logger } = this.deps;
        const recorded = await deployments.record(status, now);
        if (!recorded)
            return { result: 'duplicate', detail: `deployment status ${status.statusId} was recorded before` };
        logger.info(`deployment ${status.deploymentId} to ${status.environment} (${status.sha.slice(0, 12)}): ${status.state}`);
        if (status.state === 'failure' || status.state === 'error') {
            this.deps.raise({
                kind: 'deploy_failed',
                repository: status.repository,
                environment: status.environment,
                state: status.state,
                sha: status.sha,
                ref: status.ref,
                description: status.description,
                url: status.logUrl,
                deploymentId: status.deploymentId,
                statusId: status.statusId,
                creator: status.creator,
                at: status.createdAt,
            });
        }
        if (!UNFINISHED_STATES.includes(status.state))
            void this.deps.deployEnded().catch((error) => logger.warn(`alerts held during the deploy: ${String(error)}`));
        return { result: 'recorded', detail: `${status.environment}: ${status.state}` };
    }
    workflowRun(payload) {
        const run = payload.workflow_run;
        const conclusion = run.conclusion ?? '';
        if (payload.action !== 'completed' || !FAILING_CONCLUSIONS.includes(conclusion))
            return { result: 'ignored', detail: `workflow run ${payload.action}${conclusion ? ` (${conclusion})` : ''}` };
        const workflow = run.name || payload.workflow?.name || 'workflow';
        this.deps.raise({
            kind: 'workflow_failed',
            repository: payload.repository.full_name,
            workflow,
            runId: run.id,
            runNumber: run.run_number,
            attempt: run.run_attempt ?? 1,
            branch: run.head_branch ?? null,
            sha: run.head_sha,
            conclusion,
            url: run.html_url,
            actor: run.actor?.login ?? null,
            trigger: run.event,
            at: run.updated_at ?? this.clock().toISOString(),
        });
        return { result: 'recorded', detail: `${workflow} ${conclusion}` };
    }
}
//# sourceMappingURL=github-events.js.map
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/core/release/history-file.js
var history_file = __webpack_require__(2383);
// EXTERNAL MODULE: ./build/core/release/release.js
var release = __webpack_require__(9409);
;// CONCATENATED MODULE: ./build/server/alerts/alert-context.js
/**
 * What the server adds to an event: where (its host name), the commit that is live, and for a
 * compose or deploy failure the failing service's last log lines and the error berth recorded.
 * The live commit comes from berth's own release history in the app's folder (the folder a
 * `compose` check names), else from GitHub's last successful deployment of the environment.
 */





/** berth's release history in an app folder, or none when it cannot be read (not deployed by berth, not mounted). */
async function readReleases(appPath) {
    try {
        const text = await (0,promises_.readFile)((0,external_node_path_.join)(appPath, '.git', 'berth', 'releases.json'), 'utf8');
        return (0,history_file/* parseHistory */.i)(text);
    }
    catch {
        return [];
    }
}
/** The compose checks: their folders are where berth deploys. */
const composeChecks = (checks) => checks.flatMap((c) => (c.type === 'compose' ? [c] : []));
/**
 * A failed deploy's context from the app folder berth deployed it to: the live commit, the step and
 * error berth recorded for that commit, and the failing service's log lines when one is failing now
 * (after a rollback the failed containers are gone: the run's log, linked, has their lines).
 */
async function deployContext(event, sources) {
    for (const check of composeChecks(sources.checks)) {
        const releases = await readReleases(check.path);
        if (releases.length === 0)
            continue;
        const failed = [...releases].reverse().find((r) => r.commit === event.sha && r.error);
        return {
            liveCommit: (0,release/* lastGood */.mC)(releases)?.commit,
            releaseError: failed ? `${failed.failedStep ?? 'deploy'} failed: ${failed.error}` : undefined,
            logTail: await sources.composeLogs?.(check).catch(() => undefined),
        };
    }
    const success = await sources.deployments.lastSuccess(event.environment);
    return { liveCommit: success?.sha };
}
async function alertContext(event, sources) {
    const host = sources.host ?? (0,external_node_os_.hostname)();
    switch (event.kind) {
        case 'check_down': {
            const config = sources.checks.find((c) => c.name === event.check);
            const service = event.details?.failingServices?.[0];
            const logTail = service && event.details?.logTail ? { service, lines: event.details.logTail } : undefined;
            const liveCommit = config?.type === 'compose' ? (0,release/* lastGood */.mC)(await readReleases(config.path))?.commit : undefined;
            return { host, liveCommit, logTail };
        }
        case 'deploy_failed':
            return { host, ...(await deployContext(event, sources)) };
        default:
            return { host };
    }
}
//# sourceMappingURL=alert-context.js.map
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
;// CONCATENATED MODULE: ./build/server/alerts/channels/post-alert.js
/**
 * Posts one alert to one channel: JSON by POST, a timeout, the answer read bounded. Anything but a
 * 2xx is a DeliveryError saying what the service answered; a 429's Retry-After is kept for the retry.
 */


class DeliveryError extends errors/* BerthError */.e4 {
    retryAfterMs;
    name = 'DeliveryError';
    constructor(message, 
    /** The service asked to wait this long (HTTP 429 Retry-After). */
    retryAfterMs) {
        super(message);
        this.retryAfterMs = retryAfterMs;
    }
}
/** How much of an error answer is kept: enough for Slack's `invalid_payload` or Telegram's description. */
const ANSWER_KEPT = 300;
async function answerText(response) {
    const reader = response.body?.getReader();
    if (!reader)
        return '';
    const decoder = new TextDecoder();
    let text = '';
    while (text.length < ANSWER_KEPT) {
        const { done, value } = await reader.read();
        if (done)
            break;
        text += decoder.decode(value, { stream: true });
    }
    await reader.cancel().catch(() => undefined); // the rest is not needed; the connection may go
    return text.replace(/\s+/g, ' ').trim().slice(0, ANSWER_KEPT);
}
/** A Retry-After header in milliseconds from `now`: delay-seconds, or an HTTP date (RFC 9110); undefined when neither. */
function retryAfterMs(value, now = Date.now()) {
    if (value === null)
        return undefined;
    if (/^\s*\d+(\.\d+)?\s*$/.test(value))
        return Number(value) * 1000;
    const at = /[a-z]/i.test(value) ? Date.parse(value) : NaN; // a date names its day and month (Date.parse takes '-5' as a year)
    return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
/** Sends the request; resolves when the service took it, rejects with a DeliveryError otherwise. */
async function postAlert(request, timeoutMs, signal) {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response;
    try {
        response = await fetch(request.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': 'berth', ...request.headers },
            body: JSON.stringify(request.body),
            redirect: 'error',
            signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
        });
    }
    catch (error) {
        throw new DeliveryError(reason(error, timeoutMs));
    }
    if (response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return;
    }
    const answer = await answerText(response).catch(() => '');
    throw new DeliveryError(`HTTP ${response.status}${answer ? `: ${answer}` : ''}`, response.status === 429 ? retryAfterMs(response.headers.get('retry-after')) : undefined);
}
//# sourceMappingURL=post-alert.js.map
;// CONCATENATED MODULE: ./build/server/alerts/alert-dispatcher.js
/**
 * Sends what the outbox holds. One worker per channel claims that channel's oldest due delivery,
 * posts it and records the outcome, so a hanging channel delays only itself and never the checks.
 * A failed attempt is retried with backoff (3 tries over ~30 s by default); a delivery that runs
 * out of tries is failed and reported in the log and in /api/alerts. Workers wake when an alert is
 * stored here and poll for retries and for alerts another server stored.
 */


const DEFAULT_DISPATCH = { attempts: 3, retryDelaysMs: [5_000, 25_000], timeoutMs: 10_000, pollMs: 1_000 };
/** A claim outlives the post's timeout by this much before another server may take the delivery. */
const LEASE_MARGIN_MS = 5_000;
/** When to try again after the `attempts`-th try failed, or undefined when the tries are used up. Pure. */
function retryAt(attempts, options, now, retryAfterMs) {
    if (attempts >= options.attempts)
        return undefined;
    const delays = options.retryDelaysMs;
    const delay = delays[Math.min(attempts - 1, delays.length - 1)] ?? 0;
    return new Date(now.getTime() + Math.max(delay, Math.min(retryAfterMs ?? 0, 300_000)));
}
class AlertDispatcher {
    deps;
    options;
    clock;
    busy = new Map();
    again = new Set();
    /** Undelivered alerts in a row, per channel, for the log. */
    failedInRow = new Map();
    stopping = new AbortController();
    timer;
    outboxAway = false;
    constructor(deps) {
        this.deps = deps;
        this.options = deps.options ?? DEFAULT_DISPATCH;
        this.clock = deps.clock ?? (() => new Date());
    }
    /** Gives back claims no process holds, fails deliveries to channels no longer configured, and starts the workers. */
    async start() {
        const { store, channels, logger } = this.deps;
        const now = this.clock().toISOString();
        if (this.deps.soleProcess) {
            const released = await store.releaseAllClaims(now);
            if (released > 0)
                logger.info(`alerts: ${released} delivery(ies) interrupted by the last stop will be sent again`);
        }
        const orphans = await store.failOrphans(channels.map((c) => c.id), now);
        if (orphans > 0)
            logger.warn(`alerts: ${orphans} delivery(ies) to channels no longer configured were given up`);
        this.timer = setInterval(() => this.kick(), this.options.pollMs);
        this.timer.unref();
        this.kick();
    }
    /** Wakes every channel's worker: something may be due. Never throws. */
    kick() {
        for (const channel of this.deps.channels)
            this.wake(channel);
    }
    wake(channel) {
        if (this.stopping.signal.aborted)
            return;
        if (this.busy.has(channel.id)) {
            // Looked at again when the worker is done, so a delivery stored meanwhile waits for no poll.
            this.again.add(channel.id);
            return;
        }
        const work = this.pump(channel).finally(() => {
            this.busy.delete(channel.id);
            if (this.again.delete(channel.id))
                this.wake(channel);
        });
        this.busy.set(channel.id, work);
    }
    /** Stops the workers: posts under way are cut short and their deliveries given back for the next start. */
    async stop() {
        clearInterval(this.timer);
        this.stopping.abort();
        await Promise.allSettled([...this.busy.values()]);
    }
    async pump(channel) {
        try {
            while (!this.stopping.signal.aborted) {
                const now = this.clock();
                const lease = new Date(now.getTime() + this.options.timeoutMs + LEASE_MARGIN_MS);
                const claimed = await this.deps.store.claim(channel.id, now.toISOString(), lease.toISOString());
                this.outboxAnswers(true);
                if (!claimed)
                    return;
                await this.deliver(channel, claimed);
            }
        }
        catch (error) {
            // The storage is away: the outbox keeps the deliveries, and a later poll tries again.
            this.outboxAnswers(false, error);
        }
    }
    /** Logs the outbox going away once, and coming back once, however many polls fail between. */
    outboxAnswers(ok, error) {
        if (ok === !this.outboxAway)
            return;
        this.outboxAway = !ok;
        if (ok)
            this.deps.logger.info('alerts: the outbox answers again; sending');
        else
            this.deps.logger.error(`alerts: the outbox could not be read or written; deliveries wait: ${(0,errors/* describeError */.Uc)(error)}`);
    }
    async deliver(channel, claimed) {
        const { store, logger, metrics } = this.deps;
        const alert = await store.get(claimed.alertId);
        if (!alert) {
            await store.settle(claimed, { state: 'failed', error: 'the alert was removed', nextAt: this.clock().toISOString() });
            return;
        }
        try {
            await postAlert(channel.request(alert), this.options.timeoutMs, this.stopping.signal);
        }
        catch (error) {
            if (this.stopping.signal.aborted)
                return store.release(claimed, this.clock().toISOString());
            return this.failed(channel, claimed, error);
        }
        const now = this.clock();
        await store.settle(claimed, { state: 'delivered', at: now.toISOString() });
        metrics.delivered(channel, (now.getTime() - Date.parse(alert.createdAt)) / 1000);
        this.failedInRow.delete(channel.id);
        logger.info(`alert ${alert.event.kind} (${alert.id}) delivered to ${channel.label}${claimed.attempts > 1 ? ` on try ${claimed.attempts}` : ''}`);
    }
    async failed(channel, claimed, error) {
        const { store, logger, metrics } = this.deps;
        const now = this.clock();
        const problem = this.deps.redact((0,errors/* describeError */.Uc)(error));
        const next = retryAt(claimed.attempts, this.options, now, error instanceof DeliveryError ? error.retryAfterMs : undefined);
        const tries = `try ${claimed.attempts} of ${this.options.attempts}`;
        if (next) {
            await store.settle(claimed, { state: 'pending', error: problem, nextAt: next.toISOString() });
            metrics.retried(channel);
            logger.warn(`alert ${claimed.alertId} to ${channel.label} (${channel.target}): ${tries} failed: ${problem}; next in ${Math.round((next.getTime() - now.getTime()) / 1000)} s`);
            return;
        }
        await store.settle(claimed, { state: 'failed', error: problem, nextAt: now.toISOString() });
        metrics.failed(channel);
        const inRow = (this.failedInRow.get(channel.id) ?? 0) + 1;
        this.failedInRow.set(channel.id, inRow);
        logger.error(`alert ${claimed.alertId} to ${channel.label} (${channel.target}): not delivered, ${tries} failed: ${problem}` +
            (inRow > 1 ? `; ${channel.label} has failed its last ${inRow} alerts` : ''));
    }
}
//# sourceMappingURL=alert-dispatcher.js.map
// EXTERNAL MODULE: ./node_modules/prom-client/index.js
var prom_client = __webpack_require__(5222);
;// CONCATENATED MODULE: ./build/server/alerts/alert-metrics.js
/** Alert deliveries on the server's prom-client registry: by channel and result, and how long alerts took to leave. */

function alertMetrics(registry) {
    const deliveries = new prom_client.Counter({
        name: 'berth_alert_deliveries_total',
        help: 'Alert delivery tries by channel and result: delivered, retried (a try failed, another follows), failed (given up).',
        labelNames: ['channel', 'type', 'result'],
        registers: [registry],
    });
    const latency = new prom_client.Histogram({
        name: 'berth_alert_delivery_seconds',
        help: 'Seconds from an alert being raised to its delivery, by channel.',
        labelNames: ['channel', 'type'],
        buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
        registers: [registry],
    });
    const count = (channel, result) => deliveries.inc({ channel: channel.label, type: channel.type, result });
    return {
        delivered: (channel, seconds) => {
            count(channel, 'delivered');
            latency.observe({ channel: channel.label, type: channel.type }, seconds);
        },
        retried: (channel) => count(channel, 'retried'),
        failed: (channel) => count(channel, 'failed'),
    };
}
//# sourceMappingURL=alert-metrics.js.map
;// CONCATENATED MODULE: ./build/server/alerts/alert.js
function severityOf(event) {
    switch (event.kind) {
        case 'check_recovered':
            return 'resolved';
        case 'backup_stale':
        case 'retention_failed':
        case 'workflow_failed':
            return 'warning';
        default:
            return 'critical';
    }
}
/** The key of a check's down alert: one per check and time it went down. */
const downKey = (check, since) => `check_down:${check}:${since}`;
/** The key that makes an alert idempotent: the same state change raised twice (two servers, a retry) is one alert. */
function alertKey(event, reminder) {
    switch (event.kind) {
        case 'check_down':
            return `${downKey(event.check, event.since)}${reminder ? `:reminder:${reminder}` : ''}`;
        case 'check_recovered':
            return `check_recovered:${event.check}:${event.since}`;
        case 'backup_failed':
            return `backup_failed:${event.backup}:${event.runId}`;
        case 'backup_stale':
            // Stale once per newest good backup: it alerts again only after a new good backup went stale too.
            return `backup_stale:${event.backup}:${event.lastGoodAt ?? 'never'}`;
        case 'retention_failed':
            return `retention_failed:${event.backup}:${event.at}`;
        case 'deploy_failed':
            return `deploy_failed:${event.repository}:${event.statusId}`;
        case 'workflow_failed':
            return `workflow_failed:${event.repository}:${event.runId}:${event.attempt}`;
    }
}
//# sourceMappingURL=alert.js.map
;// CONCATENATED MODULE: ./build/server/alerts/alert-message.js
/**
 * What an alert says, before any channel's format: a title, labelled facts (what, where, since when),
 * the error, the last log lines and a link. Each channel renders this one message its own way. Pure.
 */

/** `2026-11-27T03:40:05.123Z` → `2026-11-27 03:40:05 UTC`. */
function formatTime(iso) {
    const time = new Date(iso);
    return Number.isNaN(time.getTime()) ? iso : `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
/** 3_723_000 → `1 h 2 min`; under a minute in seconds. */
function formatDuration(ms) {
    const seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds < 60)
        return `${seconds} s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60)
        return `${minutes} min`;
    const hours = Math.floor(minutes / 60);
    if (hours < 48)
        return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
    const days = Math.floor(hours / 24);
    return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
const alert_message_short = (sha) => sha.slice(0, 12);
/**
 * A link to put in a message: http(s) only, in its normalized form (spaces, quotes, `<` and `>`
 * percent-encoded), so a deployment status's `target_url` cannot close a Slack `<url|label>` link
 * and write markup after it. Anything else is no link.
 */
function linkTo(label, url) {
    if (!url)
        return undefined;
    try {
        const parsed = new URL(url);
        return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? { label, url: parsed.href } : undefined;
    }
    catch {
        return undefined;
    }
}
function fact(label, value) {
    return value ? [{ label, value }] : [];
}
function checkMessage(alert, event) {
    const { context } = alert;
    const check = fact('Check', `${event.check} (${event.checkType})`);
    if (event.kind === 'check_recovered')
        return {
            title: `Check ${event.check} is up again`,
            facts: [
                ...check,
                ...fact('Where', context.host),
                ...fact('Down for', `${formatDuration(event.downForMs)} (since ${formatTime(event.since)})`),
            ],
        };
    const still = context.reminder ? `still down after ${formatDuration(Date.parse(alert.createdAt) - Date.parse(event.since))}` : 'down';
    return {
        title: `Check ${event.check} is ${still}`,
        facts: [
            ...check,
            ...fact('Where', context.host),
            ...fact('Down since', formatTime(event.since)),
            ...fact('Live commit', context.liveCommit && alert_message_short(context.liveCommit)),
        ],
        error: event.error,
    };
}
function backupMessage(alert, event) {
    const head = [...fact('Backup', event.backup), ...fact('Where', alert.context.host)];
    switch (event.kind) {
        case 'backup_failed':
            return {
                title: `Backup ${event.backup} failed`,
                facts: [...head, ...fact('At', formatTime(event.at)), ...fact('Run', event.runId)],
                error: event.error,
            };
        case 'backup_stale':
            return {
                title: `Backup ${event.backup} is stale`,
                facts: [
                    ...head,
                    ...fact('Newest good backup', event.lastGoodAt ? formatTime(event.lastGoodAt) : 'none'),
                    ...fact('Expected one since', event.expectedSince && formatTime(event.expectedSince)),
                ],
            };
        case 'retention_failed':
            return {
                title: `Retention of backup ${event.backup} failed (the new backup is good)`,
                facts: [...head, ...fact('At', formatTime(event.at))],
                error: event.error,
            };
    }
}
function githubMessage(alert, event) {
    const { context } = alert;
    if (event.kind === 'workflow_failed')
        return {
            title: `Workflow ${event.workflow} failed${event.branch ? ` on ${event.branch}` : ''}`,
            facts: [
                ...fact('Repository', event.repository),
                ...fact('Workflow', `${event.workflow} #${event.runNumber}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`),
                ...fact('Branch', event.branch),
                ...fact('Commit', alert_message_short(event.sha)),
                ...fact('Conclusion', event.conclusion),
                ...fact('Triggered by', `${event.trigger}${event.actor ? ` (${event.actor})` : ''}`),
            ],
            link: linkTo('Open the run', event.url),
        };
    return {
        title: `Deploy to ${event.environment} failed`,
        facts: [
            ...fact('Repository', event.repository),
            ...fact('Environment', event.environment),
            ...fact('Commit', `${alert_message_short(event.sha)}${event.ref && event.ref !== event.sha ? ` (${event.ref})` : ''}`),
            ...fact('Where', context.host),
            ...fact('Live commit', context.liveCommit && alert_message_short(context.liveCommit)),
            ...fact('By', event.creator),
        ],
        error: context.releaseError ?? event.description ?? `deployment state ${event.state}`,
        link: linkTo('Open the run', event.url),
    };
}
/** The message of an alert: what, where, since when, the error, log lines, the live commit. */
function alertMessage(alert) {
    const { event } = alert;
    const base = { severity: severityOf(event), logTail: alert.context.logTail };
    switch (event.kind) {
        case 'check_down':
        case 'check_recovered':
            return { ...base, ...checkMessage(alert, event) };
        case 'backup_failed':
        case 'backup_stale':
        case 'retention_failed':
            return { ...base, ...backupMessage(alert, event) };
        case 'deploy_failed':
        case 'workflow_failed':
            return { ...base, ...githubMessage(alert, event) };
    }
}
/** Cuts text to `max` characters, keeping the end (the newest log lines) and saying so. */
function keepEnd(text, max) {
    if (text.length <= max)
        return text;
    const cut = text.slice(text.length - max + 2);
    return `…\n${cut.slice(cut.indexOf('\n') + 1 || 0)}`;
}
/** Cuts text to `max` characters, keeping the start. */
function keepStart(text, max) {
    return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
/** The message as plain text: the JSON webhook's `text`, and the log. */
function plainText(message) {
    const lines = [message.title, ...message.facts.map((f) => `${f.label}: ${f.value}`)];
    if (message.error)
        lines.push(`Error: ${message.error}`);
    if (message.logTail)
        lines.push(`Last log lines of ${message.logTail.service}:`, message.logTail.lines);
    if (message.link)
        lines.push(`${message.link.label}: ${message.link.url}`);
    return lines.join('\n');
}
//# sourceMappingURL=alert-message.js.map
;// CONCATENATED MODULE: ./build/server/alerts/alert-service.js
/**
 * The AlertSink behind checks, backups and webhooks. `raise` returns at once; in the background
 * each event is given its context, redacted, and stored in the outbox once (its key makes a state
 * change raised twice, by two servers or a retry, one alert); then the dispatcher sends it.
 * While a deploy runs, check-down alerts are held: a check still down when it ends alerts then,
 * one that came back is never announced (nor its recovery). If the storage is away, events wait
 * in memory and are stored when it is back.
 */




/** Events waiting for the storage are kept up to this many; older ones are dropped with an error in the log. */
const QUEUE_LIMIT = 1000;
/** Every string in a value, redacted. */
function redactDeep(value, redact) {
    if (typeof value === 'string')
        return redact(value);
    if (Array.isArray(value))
        return value.map((item) => redactDeep(item, redact));
    if (value && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]));
    return value;
}
class AlertService {
    deps;
    queue = [];
    draining;
    /** Deciding held alerts after a deploy; one at a time. */
    releasing;
    retry;
    clock;
    constructor(deps) {
        this.deps = deps;
        this.clock = deps.clock ?? (() => new Date());
    }
    raise(event) {
        this.enqueue(event, undefined);
    }
    /** Raises a reminder of a still-down check: the n-th, idempotent like any alert. */
    remind(event, n) {
        this.enqueue(event, n);
    }
    /** Resolves when every event raised so far is stored (or waits for the storage) and held alerts are decided. For tests and shutdown. */
    async settled() {
        for (let pending = this.draining ?? this.releasing; pending; pending = this.draining ?? this.releasing)
            await pending;
    }
    /** Stops retrying the storage; events still waiting are logged as lost. */
    stop() {
        clearTimeout(this.retry);
        if (this.queue.length > 0)
            this.deps.logger.error(`alerts: ${this.queue.length} alert(s) could not be stored before the stop`);
    }
    enqueue(event, reminder) {
        if (this.queue.length >= QUEUE_LIMIT) {
            const dropped = this.queue.shift();
            this.deps.logger.error(`alerts: the storage is away and ${QUEUE_LIMIT} alerts wait; dropped ${dropped?.event.kind}`);
        }
        this.queue.push({ event, reminder });
        this.drain();
    }
    /** Stores queued events one at a time, in order (a recovery never overtakes its down). */
    drain() {
        if (this.draining)
            return;
        this.draining = (async () => {
            while (this.queue.length > 0) {
                const next = this.queue[0];
                try {
                    await this.accept(next.event, next.reminder);
                }
                catch (error) {
                    if (await this.deps.store.reachable()) {
                        // The storage answers, so this event itself cannot be stored: dropped, so it blocks none after it.
                        this.deps.logger.error(`alerts: ${next.event.kind} could not be stored and is dropped: ${(0,errors/* describeError */.Uc)(error)}`);
                    }
                    else {
                        this.deps.logger.error(`alerts: the storage is away; ${this.queue.length} alert(s) wait and are stored when it is back: ${(0,errors/* describeError */.Uc)(error)}`);
                        this.retry = setTimeout(() => this.drain(), this.deps.storageRetryMs ?? 5_000);
                        this.retry.unref();
                        return;
                    }
                }
                this.queue.shift();
            }
        })().finally(() => (this.draining = undefined));
    }
    async accept(raised, reminder) {
        const { store, redact } = this.deps;
        const event = redactDeep(raised, redact);
        const key = alertKey(event, reminder);
        if (!(await this.changesState(event, key, reminder))) {
            this.deps.logger.debug(`alert ${key}: the state change was announced already, here or on another server`);
            return;
        }
        const context = redactDeep({ ...(await this.deps.context(event)), ...(reminder ? { reminder } : {}) }, redact);
        const alert = { id: alertId(key), key, event, context, createdAt: this.clock().toISOString() };
        const [status, reason] = await this.statusFor(event, reminder);
        if (!(await store.insert(alert, status, reason)))
            return; // raised before, here or on another server
        const line = `alert ${event.kind} (${alert.id}): ${alertMessage(alert).title}${status === 'released' ? '' : ` — ${status}: ${reason}`}`;
        if (severityOf(event) === 'resolved')
            this.deps.logger.info(line);
        else
            this.deps.logger.warn(line);
        if (status === 'released')
            await this.send(alert.id);
    }
    /** A check's down or recovery is announced once per change of its health, whichever server saw it first. */
    async changesState(event, key, reminder) {
        if (reminder || (event.kind !== 'check_down' && event.kind !== 'check_recovered'))
            return true;
        return this.deps.store.gate(`check:${event.check}`, event.kind === 'check_down' ? 'down' : 'up', key, event.at);
    }
    async statusFor(event, reminder) {
        if (event.kind === 'check_down' && !reminder && (await this.deps.deployRunning()))
            return ['held', 'a deploy is running; sent if the check is still down when it ends'];
        if (event.kind === 'check_recovered') {
            const down = await this.deps.store.latest('check_down', event.check);
            if (down?.status === 'held')
                await this.deps.store.setStatus(down.id, 'held', 'suppressed', 'the check came back during the deploy');
            if (down && down.status !== 'released')
                return ['suppressed', 'its down alert was not sent: the check came back during a deploy'];
        }
        return ['released', null];
    }
    async send(id) {
        await this.deps.store.addDeliveries(id, this.deps.channels, this.clock().toISOString());
        this.deps.wake();
    }
    /**
     * After a deploy (or once none runs any more): each held check-down alert is sent if its check,
     * run again, is still down since the same time; otherwise it is suppressed.
     */
    releaseHeld() {
        const run = (this.releasing ?? Promise.resolve()).then(() => this.decideHeld());
        const tracked = run
            .catch(() => undefined)
            .finally(() => {
            if (this.releasing === tracked)
                this.releasing = undefined;
        });
        this.releasing = tracked;
        return run;
    }
    async decideHeld() {
        for (const alert of await this.deps.store.held())
            await this.decide(alert);
    }
    async decide(alert) {
        const { event } = alert;
        if (event.kind !== 'check_down')
            return this.release(alert, 'released');
        const now = await this.deps.checks?.health(event.check, true).catch((error) => {
            this.deps.logger.warn(`alerts: check ${event.check} could not be run after the deploy: ${(0,errors/* describeError */.Uc)(error)}`);
            return undefined;
        });
        const stillDown = now === undefined || (now.health === 'down' && now.since === event.since);
        await this.release(alert, stillDown ? 'released' : 'suppressed');
    }
    async release(alert, to) {
        const reason = to === 'released' ? 'still down after the deploy' : 'the check came back during the deploy';
        if (!(await this.deps.store.setStatus(alert.id, 'held', to, reason)))
            return; // another server decided
        this.deps.logger.info(`alert ${alert.event.kind} (${alert.id}): ${to}: ${reason}`);
        if (to === 'released')
            await this.send(alert.id);
    }
}
//# sourceMappingURL=alert-service.js.map
;// CONCATENATED MODULE: ./build/server/alerts/alert-watch.js
/**
 * What alerts must notice on their own, every minute: backups that went stale (the freshness the
 * backup service computes), reminders of still-down checks (`remind-every`), held check-down
 * alerts whose deploy ended without telling us, and old alerts and delivery ids to forget.
 * Each alert it raises has a key, so two servers watching the same storage raise it once.
 */

/** Alerts are kept this long; webhook delivery ids this long (GitHub redelivers within days). */
const ALERTS_KEPT_MS = 90 * 86_400_000;
const DELIVERY_IDS_KEPT_MS = 30 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;
class AlertWatch {
    deps;
    timer;
    running;
    lastPrune = 0;
    clock;
    constructor(deps) {
        this.deps = deps;
        this.clock = deps.clock ?? (() => new Date());
    }
    start() {
        this.timer = setInterval(() => void this.tick(), this.deps.intervalMs ?? 60_000);
        this.timer.unref();
        void this.tick();
    }
    async stop() {
        clearInterval(this.timer);
        await this.running;
    }
    /** One look at everything; overlapping calls share the run. Never throws. */
    tick() {
        this.running ??= this.look().finally(() => (this.running = undefined));
        return this.running;
    }
    async look() {
        for (const [what, step] of [
            ['backup freshness', () => this.staleBackups()],
            ['reminders', () => this.reminders()],
            ['held alerts', () => this.heldAlerts()],
            ['pruning', () => this.prune()],
        ]) {
            try {
                await step();
            }
            catch (error) {
                this.deps.logger.warn(`alerts: ${what}: ${(0,errors/* describeError */.Uc)(error)}`);
            }
        }
    }
    /** Stale backups; one never made only once it was due while this server ran. */
    async staleBackups() {
        const now = this.clock();
        for (const { name, freshness } of await this.deps.backups.overview()) {
            const { status, lastGoodAt, expectedSince } = freshness;
            const missed = status === 'never' && expectedSince !== null && Date.parse(expectedSince) >= this.deps.startedAt.getTime();
            if (status === 'stale' || missed)
                this.deps.alerts.raise({ kind: 'backup_stale', backup: name, lastGoodAt, expectedSince, at: now.toISOString() });
        }
    }
    /** A still-down check with `remind-every` is announced again every that long, if its down alert went out. */
    async reminders() {
        const { health, store, alerts } = this.deps;
        if (!health)
            return;
        const now = this.clock();
        for (const check of this.deps.checks) {
            if (!check.remindEveryMs)
                continue;
            const current = await health.health(check.name, false);
            if (current?.health !== 'down' || !current.since)
                continue;
            const n = Math.floor((now.getTime() - Date.parse(current.since)) / check.remindEveryMs);
            if (n < 1)
                continue;
            const down = await store.latest('check_down', check.name);
            if (down?.status !== 'released' || down.event.kind !== 'check_down')
                continue;
            alerts.remind({ ...down.event, error: current.error ?? down.event.error, at: now.toISOString() }, n);
        }
    }
    /** Held alerts whose deploy is over (or never said it ended, within the wait): decided now. */
    async heldAlerts() {
        if ((await this.deps.store.held()).length === 0 || (await this.deps.deployRunning()))
            return;
        await this.deps.alerts.releaseHeld();
    }
    async prune() {
        const now = this.clock().getTime();
        if (now - this.lastPrune < PRUNE_EVERY_MS)
            return;
        this.lastPrune = now;
        await this.deps.store.prune(new Date(now - ALERTS_KEPT_MS).toISOString());
        await this.deps.deployments.pruneDeliveries(new Date(now - DELIVERY_IDS_KEPT_MS).toISOString());
    }
}
//# sourceMappingURL=alert-watch.js.map
;// CONCATENATED MODULE: ./build/server/alerts/channels/discord.js

const COLOR = { critical: 0xd1242f, warning: 0xbf8700, resolved: 0x1a7f37 };
/** Backslash-escapes Discord's markdown in plain values. */
function escapeDiscord(text) {
    return text.replace(/([\\*_~`|>#[\]()-])/g, '\\$1');
}
const code = (text, max, keep) => `\`\`\`\n${keep(text, max).replace(/```/g, '`\u200b``')}\n\`\`\``;
/** The body for a Discord webhook (limits: title 256, description 4,096, field value 1,024, 25 fields). */
function discordBody(message, alert) {
    const parts = [];
    if (message.error)
        parts.push(`**Error**\n${code(message.error, 1500, keepStart)}`);
    if (message.logTail)
        parts.push(`**Last log lines of ${escapeDiscord(message.logTail.service)}**\n${code(message.logTail.lines, 2200, keepEnd)}`);
    // A `)` would end the link early, and what follows it would be read as markdown.
    if (message.link)
        parts.push(`[${escapeDiscord(message.link.label)}](${message.link.url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`);
    return {
        username: 'berth',
        allowed_mentions: { parse: [] },
        embeds: [
            {
                title: keepStart(message.title, 256),
                color: COLOR[message.severity],
                ...(parts.length > 0 ? { description: parts.join('\n') } : {}),
                ...(message.link ? { url: message.link.url } : {}),
                fields: message.facts
                    .slice(0, 25)
                    .map((f) => ({ name: keepStart(f.label, 256), value: keepStart(escapeDiscord(f.value), 1024), inline: true })),
                timestamp: alert.createdAt,
                footer: { text: `berth on ${keepStart(alert.context.host, 200)}` },
            },
        ],
    };
}
//# sourceMappingURL=discord.js.map
;// CONCATENATED MODULE: ./build/server/alerts/channels/json-webhook.js

const WEBHOOK_BODY_VERSION = 1;
function webhookBody(message, alert) {
    return {
        version: WEBHOOK_BODY_VERSION,
        id: alert.id,
        severity: message.severity,
        title: message.title,
        text: plainText(message),
        host: alert.context.host,
        created_at: alert.createdAt,
        event: alert.event,
        live_commit: alert.context.liveCommit ?? null,
        log_tail: alert.context.logTail ?? null,
        reminder: alert.context.reminder ?? 0,
    };
}
//# sourceMappingURL=json-webhook.js.map
;// CONCATENATED MODULE: ./build/server/alerts/channels/slack.js

const ICON = { critical: ':red_circle:', warning: ':warning:', resolved: ':large_green_circle:' };
/** Slack's mrkdwn escaping. */
function escapeMrkdwn(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** A code block that its content cannot close early. */
const slack_code = (text, max, keep) => `\`\`\`${escapeMrkdwn(keep(text, max)).replace(/```/g, '`\u200b``')}\`\`\``;
const section = (text) => ({ type: 'section', text: { type: 'mrkdwn', text } });
/** The body for a Slack incoming webhook (limits: header 150, field 2,000, section 3,000 characters, 10 fields). */
function slackBody(message) {
    const blocks = [
        { type: 'header', text: { type: 'plain_text', text: keepStart(message.title, 150), emoji: true } },
        {
            type: 'section',
            fields: message.facts
                .slice(0, 10)
                .map((f) => ({ type: 'mrkdwn', text: `*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(keepStart(f.value, 1900))}` })),
        },
    ];
    if (message.error)
        blocks.push(section(`*Error*\n${slack_code(message.error, 2800, keepStart)}`));
    if (message.logTail)
        blocks.push(section(`*Last log lines of ${escapeMrkdwn(message.logTail.service)}*\n${slack_code(message.logTail.lines, 2800, keepEnd)}`));
    // `|` would end the URL and start a label of the sender's choosing; `&` is escaped as in any text.
    if (message.link)
        blocks.push(section(`<${escapeMrkdwn(message.link.url).replace(/\|/g, '%7C')}|${escapeMrkdwn(message.link.label)}>`));
    return { text: `${ICON[message.severity]} ${escapeMrkdwn(message.title)}`, blocks };
}
//# sourceMappingURL=slack.js.map
;// CONCATENATED MODULE: ./build/server/alerts/channels/telegram.js

const telegram_ICON = { critical: '🔴', warning: '⚠️', resolved: '🟢' };
/** The escaping Telegram's HTML mode asks for: `&`, `<`, `>` and, in attributes, `"`. */
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
/** The text of a message (Telegram allows 4,096 characters after entities are parsed; this stays well under). */
function telegramHtml(message) {
    const lines = [`${telegram_ICON[message.severity]} <b>${escapeHtml(keepStart(message.title, 200))}</b>`];
    for (const f of message.facts)
        lines.push(`<b>${escapeHtml(f.label)}:</b> ${escapeHtml(keepStart(f.value, 300))}`);
    if (message.error)
        lines.push(`<b>Error:</b>`, `<pre>${escapeHtml(keepStart(message.error, 1200))}</pre>`);
    if (message.logTail)
        lines.push(`<b>Last log lines of ${escapeHtml(message.logTail.service)}:</b>`, `<pre>${escapeHtml(keepEnd(message.logTail.lines, 1500))}</pre>`);
    if (message.link)
        lines.push(`<a href="${escapeHtml(message.link.url)}">${escapeHtml(message.link.label)}</a>`);
    return lines.join('\n');
}
function telegramBody(message, chatId) {
    return { chat_id: chatId, text: telegramHtml(message), parse_mode: 'HTML', link_preview_options: { is_disabled: true } };
}
//# sourceMappingURL=telegram.js.map
;// CONCATENATED MODULE: ./build/server/alerts/channels/alert-channel.js
/**
 * A configured channel: a stable id (kept in the outbox across restarts and config reorders), a
 * label for people, where it posts (without its secret), and the HTTP request an alert becomes.
 */






const digest = (text) => (0,external_node_crypto_.createHash)('sha256').update(text).digest('hex').slice(0, 8);
const hostOf = (url) => {
    try {
        return new URL(url).host;
    }
    catch {
        return '(invalid URL)';
    }
};
function requestFor(config, alert) {
    const message = alertMessage(alert);
    switch (config.type) {
        case 'slack':
            return { url: config.url, body: slackBody(message), headers: {} };
        case 'discord':
            return { url: config.url, body: discordBody(message, alert), headers: {} };
        case 'telegram':
            return { url: `${config.apiUrl}/bot${config.token}/sendMessage`, body: telegramBody(message, config.chatId), headers: {} };
        case 'webhook':
            return {
                url: config.url,
                body: webhookBody(message, alert),
                headers: { 'x-berth-event': alert.event.kind, 'x-berth-alert': alert.id },
            };
    }
}
/** The channels of `alerts:`, in config order. */
function createChannels(configs) {
    const seen = new Map();
    return configs.map((config) => {
        const n = (seen.get(config.type) ?? 0) + 1;
        seen.set(config.type, n);
        const where = config.type === 'telegram' ? `${config.apiUrl}|${config.token}|${config.chatId}` : config.url;
        return {
            id: `${config.type}-${digest(where)}`,
            type: config.type,
            label: `${config.type} #${n}`,
            target: config.type === 'telegram' ? `${hostOf(config.apiUrl)} chat ${config.chatId}` : hostOf(config.url),
            request: (alert) => requestFor(config, alert),
        };
    });
}
//# sourceMappingURL=alert-channel.js.map
;// CONCATENATED MODULE: ./build/server/alerts/deploy-hold.js
/** A deploy whose end never arrives (a lost delivery) holds alerts this long at most. */
const DEPLOY_HOLD_MAX_MS = 30 * 60_000;
function deployRunning(deployments, clock = () => new Date()) {
    return async () => (await deployments.unfinished(new Date(clock().getTime() - DEPLOY_HOLD_MAX_MS).toISOString())).length > 0;
}
//# sourceMappingURL=deploy-hold.js.map
;// CONCATENATED MODULE: ./build/server/alerts/alerting.js











function createAlerting(deps) {
    const { storage, logger, config } = deps;
    const clock = deps.clock ?? (() => new Date());
    const secrets = deps.secrets.filter((s) => typeof s === 'string' && s.length >= 4);
    const clean = (text) => json_logger_redact(text, secrets);
    const store = new AlertStore(storage);
    const deployments = new DeploymentStore(storage);
    const channels = createChannels(config.alerts);
    const metrics = alertMetrics(deps.registry);
    const dispatcher = new AlertDispatcher({
        store,
        channels,
        logger,
        metrics,
        redact: clean,
        soleProcess: config.storage.kind === 'sqlite',
        options: deps.dispatch,
        clock,
    });
    const running = deployRunning(deployments, clock);
    const service = new AlertService({
        store,
        channels: channels.map((c) => c.id),
        wake: () => dispatcher.kick(),
        context: (event) => alertContext(event, { host: deps.host, checks: config.checks, deployments, composeLogs: deps.composeLogs }),
        deployRunning: running,
        checks: deps.checks,
        redact: clean,
        logger,
        clock,
        storageRetryMs: deps.storageRetryMs,
    });
    const watch = new AlertWatch({
        alerts: service,
        store,
        deployments,
        backups: deps.backups,
        checks: config.checks,
        health: deps.checks,
        deployRunning: running,
        logger,
        startedAt: clock(),
        intervalMs: deps.watchIntervalMs,
        clock,
    });
    const github = new GithubEvents({
        deployments,
        raise: (event) => service.raise(event),
        deployEnded: () => service.releaseHeld(),
        logger,
        clock,
    });
    const sink = {
        raise: (event) => {
            service.raise(event);
            if (event.kind === 'backup_failed')
                void watch.tick();
        },
    };
    return {
        sink,
        service,
        store,
        deployments,
        channels,
        github,
        watch,
        start: async () => {
            await dispatcher.start();
            watch.start();
        },
        stop: async () => {
            await watch.stop();
            await service.settled();
            service.stop();
            await dispatcher.stop();
        },
    };
}
//# sourceMappingURL=alerting.js.map
// EXTERNAL MODULE: ./node_modules/docker-compose/dist/index.js
var docker_compose_dist = __webpack_require__(3162);
// EXTERNAL MODULE: ./build/core/engine/detect-compose.js
var detect_compose = __webpack_require__(6671);
// EXTERNAL MODULE: ./build/core/exec/local-executor.js
var local_executor = __webpack_require__(955);
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
/** The last lines Compose printed, as one line (v1 indents and wraps its messages). */
function composeFailure(error) {
    const e = error;
    const lines = (e.err ?? e.message ?? String(error))
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
    const text = lines.slice(-3).join(' ');
    return e.exitCode === undefined ? text : `exit ${e.exitCode}: ${text}`;
}
/** Why `path` cannot hold a Compose project, or nothing; Compose itself would only say `spawn … ENOENT` for a missing folder. */
async function folderProblem(path) {
    try {
        return (await (0,promises_.stat)(path)).isDirectory() ? undefined : 'is not a folder';
    }
    catch (error) {
        const code = error.code;
        return code === 'ENOENT' ? 'the folder does not exist' : `the folder cannot be read (${code ?? String(error)})`;
    }
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
    const folder = await folderProblem(config.path);
    if (folder)
        return failed(`compose project ${config.path}: ${folder}`);
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
;// CONCATENATED MODULE: ./build/server/alerts/check-health.js

function checkHealth(checks) {
    return {
        health: async (name, rerun) => {
            // A check that is running already (busy) or no longer configured is read as it stands.
            if (rerun)
                await checks.run(name).catch(() => undefined);
            const [overview] = await checks.overview(1, name);
            return overview && { health: overview.health, since: overview.since, error: overview.lastResult?.error };
        },
    };
}
/** The compose check's own probe, for a failed deploy's alert: the first failing service's last log lines. */
const composeLogTail = async (check) => {
    const { details } = await runCheck(check);
    const service = details?.failingServices?.[0];
    return service && details?.logTail ? { service, lines: details.logTail } : undefined;
};
//# sourceMappingURL=check-health.js.map
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
    /**
     * Each check's state, since when, and its latest results (newest first). While the storage cannot be
     * read, the states this server reached and no history: the page and the API still say what is down.
     */
    async overview(historyLimit, only) {
        const states = await this.storedStates();
        return Promise.all(this.configs
            .filter((config) => only === undefined || config.name === only)
            .map(async (config) => {
            const state = states.get(config.name) ?? this.known.get(config.name)?.state ?? INITIAL_STATE;
            const history = await this.deps.store.history(config.name, historyLimit).catch(() => []); // unreadable: none shown
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
        const states = await this.storedStates();
        return this.configs.map((c) => ({
            name: c.name,
            type: c.type,
            health: (states.get(c.name) ?? this.known.get(c.name)?.state ?? INITIAL_STATE).health,
        }));
    }
    /** The stored states, or none while the storage cannot be read (the states in memory stand in). */
    async storedStates() {
        return this.deps.store.states().catch(() => new Map());
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
        const savedAt = (this.deps.clock?.() ?? new Date()).toISOString();
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
;// CONCATENATED MODULE: ./build/server/config/config-secrets.js
/**
 * Every value of berth.yml that must never reach a log line, an alert or an API answer: the API
 * token, the webhook secret, URL passwords (as written and decoded), Telegram tokens, and alert
 * channel URLs with the parts of them that are their secret (a service that echoes the path it
 * was posted to, "Cannot POST /services/T…/B…/<secret>", must not leak a Slack or Discord token).
 */

/** Path segments and query values this long are taken for tokens: Slack's 24 characters, Discord's 68, an `?key=`. */
const TOKEN_LENGTH = 16;
const decoded = (text) => {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
};
/** A channel URL, and each long path segment and query value of it, as written and decoded. */
function channelUrlSecrets(text) {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        return [text];
    }
    const parts = [...url.pathname.split('/'), ...[...url.searchParams.values()]].filter((part) => part.length >= TOKEN_LENGTH);
    return [...new Set([text, ...(0,redact/* urlSecrets */.Fn)(text), ...parts, ...parts.map(decoded)])];
}
function configSecrets(config) {
    return [
        ...[config.apiToken, config.github.webhookSecret].filter((value) => value !== undefined),
        ...(config.storage.kind === 'postgres' ? (0,redact/* urlSecrets */.Fn)(config.storage.url) : []),
        ...config.backups.flatMap((b) => (b.source.kind === 'url' ? (0,redact/* urlSecrets */.Fn)(b.source.url) : [])),
        ...config.checks.flatMap((c) => (c.type === 'postgres' || c.type === 'http' ? (0,redact/* urlSecrets */.Fn)(c.url) : [])),
        ...config.alerts.flatMap((a) => (a.type === 'telegram' ? [a.token] : channelUrlSecrets(a.url))),
    ];
}
//# sourceMappingURL=config-secrets.js.map
// EXTERNAL MODULE: ./build/server/config/load-config.js + 7 modules
var load_config = __webpack_require__(1594);
// EXTERNAL MODULE: ./node_modules/hono/dist/index.js + 20 modules
var hono_dist = __webpack_require__(1923);
// EXTERNAL MODULE: ./node_modules/hono/dist/http-exception.js
var http_exception = __webpack_require__(3040);
// EXTERNAL MODULE: ./node_modules/@octokit/webhooks/dist-bundle/index.js + 1 modules
var dist_bundle = __webpack_require__(5468);
// EXTERNAL MODULE: ./node_modules/hono/dist/middleware/body-limit/index.js
var body_limit = __webpack_require__(2542);
;// CONCATENATED MODULE: ./build/server/webhooks/github-webhook-routes.js
/**
 * POST /webhooks/github: GitHub's deliveries, verified with @octokit/webhooks against the raw body
 * and the configured secret before anything is read or stored. No secret configured: 404 (unsigned
 * deliveries are never accepted). Missing or wrong signature: 401. Over 5 MB: 413. A signed body
 * that is not JSON, or lacks what its event must have: 400. Anything else: 200 with what was done.
 */





/** GitHub caps deliveries at 25 MB; berth reads the events it acts on, which are far smaller. */
const github_webhook_routes_MAX_BODY_BYTES = 5 * 1024 * 1024;
function githubWebhookRoutes(secret, events) {
    const routes = new hono_dist/* Hono */.$();
    if (!secret) {
        routes.post('/github', (c) => c.json({ error: 'This server accepts no GitHub deliveries: set github.webhook-secret in berth.yml to enable /webhooks/github.' }, 404));
        return routes;
    }
    const webhooks = new dist_bundle/* Webhooks */.zo({ secret });
    const tooLarge = (0,body_limit/* bodyLimit */.k)({
        maxSize: github_webhook_routes_MAX_BODY_BYTES,
        onError: (c) => c.json({ error: `The body is over ${github_webhook_routes_MAX_BODY_BYTES / 1024 / 1024} MB.` }, 413),
    });
    routes.post('/github', tooLarge, async (c) => {
        const signature = c.req.header('x-hub-signature-256');
        const body = await c.req.text();
        const valid = signature ? await webhooks.verify(body, signature).catch(() => false) : false;
        if (!valid)
            return c.json({ error: `${signature ? 'Wrong' : 'Missing'} signature: X-Hub-Signature-256 must be the body's HMAC with the webhook secret.` }, 401);
        const name = c.req.header('x-github-event');
        const id = c.req.header('x-github-delivery');
        if (!name || !id)
            return c.json({ error: `Missing header ${name ? 'X-GitHub-Delivery' : 'X-GitHub-Event'}.` }, 400);
        let payload;
        try {
            payload = JSON.parse(body);
        }
        catch (error) {
            return c.json({ error: `The body is not valid JSON: ${(0,errors/* describeError */.Uc)(error)}` }, 400);
        }
        try {
            return c.json({ delivery: id, event: name, ...(await events.handle({ id, name, payload })) });
        }
        catch (error) {
            if (error instanceof PayloadError)
                return c.json({ error: (0,errors/* describeError */.Uc)(error) }, 400);
            throw error;
        }
    });
    return routes;
}
//# sourceMappingURL=github-webhook-routes.js.map
;// CONCATENATED MODULE: ./build/server/alerts/alerts-overview.js

const RECENT_ATTEMPTS = 50;
async function channelOverview(store, channel) {
    // A try in flight says nothing yet: the state is the newest settled one's.
    const attempts = (await store.recentAttempts(channel.id, RECENT_ATTEMPTS)).filter((d) => d.state !== 'sending');
    const newest = attempts[0];
    const erred = attempts.find((d) => d.lastError !== null && d.state !== 'delivered');
    const firstGood = attempts.findIndex((d) => d.state === 'delivered');
    const failedInRow = (firstGood < 0 ? attempts : attempts.slice(0, firstGood)).filter((d) => d.state === 'failed').length;
    return {
        id: channel.id,
        type: channel.type,
        label: channel.label,
        target: channel.target,
        state: !newest ? 'idle' : newest.state === 'delivered' ? 'ok' : newest.state === 'failed' ? 'failing' : 'retrying',
        lastDeliveredAt: attempts.find((d) => d.deliveredAt)?.deliveredAt ?? null,
        lastError: erred?.lastError ?? null,
        lastErrorAt: erred?.lastAttemptAt ?? null,
        failedInRow,
    };
}
function deliveryOf(status, deliveries) {
    if (status !== 'released')
        return status;
    if (deliveries.length === 0)
        return 'none';
    if (deliveries.some((d) => d.state === 'pending' || d.state === 'sending'))
        return 'sending';
    return deliveries.every((d) => d.state === 'delivered') ? 'delivered' : 'failed';
}
async function alertsOverview(store, channels, options) {
    const alerts = await store.list(options.limit, options.kind);
    const deliveries = await store.deliveriesOf(alerts.map((a) => a.id));
    const label = (id) => channels.find((c) => c.id === id)?.label ?? `${id} (no longer configured)`;
    return {
        channels: await Promise.all(channels.map((channel) => channelOverview(store, channel))),
        alerts: alerts.map((alert) => {
            const own = deliveries.filter((d) => d.alertId === alert.id);
            const message = alertMessage(alert);
            return {
                id: alert.id,
                kind: alert.event.kind,
                severity: message.severity,
                title: message.title,
                createdAt: alert.createdAt,
                status: alert.status,
                statusReason: alert.statusReason,
                delivery: deliveryOf(alert.status, own),
                event: alert.event,
                context: alert.context,
                deliveries: own.map((d) => ({
                    channel: d.channel,
                    label: label(d.channel),
                    state: d.state,
                    attempts: d.attempts,
                    lastError: d.lastError,
                    lastAttemptAt: d.lastAttemptAt,
                    deliveredAt: d.deliveredAt,
                    nextAttemptAt: d.state === 'pending' ? d.nextAt : null,
                })),
            };
        }),
    };
}
//# sourceMappingURL=alerts-overview.js.map
;// CONCATENATED MODULE: ./build/server/http/query-params.js
/** Query parameters the API shares. A bad value is a 400 naming the parameter and the expected form. */

/** `?limit=`: a whole number from 1 to 1000; `fallback` when absent. */
function limitParam(value, fallback) {
    if (value === undefined)
        return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 1000)
        throw new http_exception/* HTTPException */.y(400, {
            res: Response.json({ error: `limit: expected a whole number from 1 to 1000, got '${value}'` }, { status: 400 }),
        });
    return n;
}
//# sourceMappingURL=query-params.js.map
;// CONCATENATED MODULE: ./build/server/http/alerts-routes.js
/** /api/alerts: each channel's state and the latest alerts with their deliveries. */



function alertsRoutes(alerting) {
    const routes = new hono_dist/* Hono */.$();
    routes.get('/', async (c) => c.json(await alertsOverview(alerting.store, alerting.channels, { limit: limitParam(c.req.query('limit'), 50), kind: c.req.query('kind') })));
    return routes;
}
//# sourceMappingURL=alerts-routes.js.map
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
;// CONCATENATED MODULE: ./build/server/http/deployments-routes.js
/** /api/deployments: the deployment history GitHub's deployment_status deliveries recorded, newest first. */


function deploymentsRoutes(deployments) {
    const routes = new hono_dist/* Hono */.$();
    routes.get('/', async (c) => {
        const list = await deployments.recent(limitParam(c.req.query('limit'), 50), c.req.query('environment'));
        const environments = new Map();
        for (const deployment of list)
            if (!environments.has(deployment.environment))
                environments.set(deployment.environment, deployment);
        return c.json({
            environments: [...environments.values()].map((d) => ({
                environment: d.environment,
                state: d.state,
                sha: d.sha,
                ref: d.ref,
                at: d.updatedAt,
            })),
            deployments: list,
        });
    });
    return routes;
}
//# sourceMappingURL=deployments-routes.js.map
// EXTERNAL MODULE: ./node_modules/hono/dist/jsx/jsx-runtime.js + 11 modules
var jsx_runtime = __webpack_require__(36);
// EXTERNAL MODULE: ./node_modules/hono/dist/middleware/secure-headers/index.js + 1 modules
var secure_headers = __webpack_require__(459);
// EXTERNAL MODULE: ./node_modules/hono/dist/helper/html/index.js
var html = __webpack_require__(5621);
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
/** A URL the page may link to: http(s) only; anything else (`javascript:`, `data:`) is shown as text. */
function webLink(url) {
    if (!url)
        return undefined;
    try {
        const protocol = new URL(url).protocol;
        return protocol === 'https:' || protocol === 'http:' ? url : undefined;
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=format.js.map
;// CONCATENATED MODULE: ./build/server/status/status-data.js
/** Everything the status page shows, gathered in one place from the services and the catalog. */

/** Results per check in the history strip. */
const HISTORY_CELLS = 40;
async function backupStatuses(sources) {
    return Promise.all((await sources.backups.overview()).map(async (b) => {
        const [[lastGood], [lastRun]] = await Promise.all([sources.catalog.good(b.name), sources.catalog.list(b.name, 1)]);
        return { ...b, lastGood, lastRun };
    }));
}
/** What the page shows; while the storage is away, the checks as this server knows them and the reason. */
async function statusSnapshot(sources, at = new Date()) {
    const checks = sources.checks.overview(HISTORY_CELLS);
    try {
        const [backups, deploys] = await Promise.all([backupStatuses(sources), sources.deploys?.recent(10)]);
        return { checks: await checks, backups, deploys, at };
    }
    catch (error) {
        return { checks: await checks, backups: [], deploys: undefined, storageProblem: (0,errors/* describeError */.Uc)(error), at };
    }
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

/** The status page (Hono JSX, rendered on the server): checks with their history, backups, recent deploys. No scripts. */




/** The page reloads itself (a meta refresh; no script) this often. */
const REFRESH_SECONDS = 30;
function Layout(props) {
    return ((0,jsx_runtime/* jsxs */.FD)("html", { lang: "en", children: [(0,jsx_runtime/* jsxs */.FD)("head", { children: [(0,jsx_runtime/* jsx */.Y)("meta", { charset: "utf-8" }), (0,jsx_runtime/* jsx */.Y)("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }), props.refresh ? (0,jsx_runtime/* jsx */.Y)("meta", { "http-equiv": "refresh", content: String(REFRESH_SECONDS) }) : null, (0,jsx_runtime/* jsx */.Y)("meta", { name: "color-scheme", content: "light dark" }), (0,jsx_runtime/* jsx */.Y)("link", { rel: "icon", href: "data:," }), (0,jsx_runtime/* jsx */.Y)("title", { children: props.title }), (0,jsx_runtime/* jsx */.Y)("style", { children: (0,html/* raw */.l)(STATUS_CSS) })] }), (0,jsx_runtime/* jsx */.Y)("body", { children: props.children })] }));
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
            return ((0,jsx_runtime/* jsxs */.FD)("article", { class: "card row", "data-deploy": d.environment, children: [(0,jsx_runtime/* jsxs */.FD)("div", { class: "name", children: [(0,jsx_runtime/* jsx */.Y)("span", { class: `dot ${tone}` }), (0,jsx_runtime/* jsx */.Y)("span", { children: d.environment }), d.sha ? (0,jsx_runtime/* jsx */.Y)("span", { class: "badge", children: d.sha.slice(0, 7) }) : null, d.ref ? (0,jsx_runtime/* jsx */.Y)("span", { class: "state", children: d.ref }) : null] }), (0,jsx_runtime/* jsxs */.FD)("span", { class: "state", children: [webLink(d.url) ? (0,jsx_runtime/* jsx */.Y)("a", { href: webLink(d.url), children: d.state }) : d.state, " \u00B7 ", age(d.at, now), " ago"] })] }));
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
    return ((0,jsx_runtime/* jsx */.Y)(Layout, { title: `berth · ${host}`, refresh: true, children: (0,jsx_runtime/* jsxs */.FD)("main", { children: [(0,jsx_runtime/* jsxs */.FD)("header", { children: [(0,jsx_runtime/* jsxs */.FD)("h1", { children: ["berth ", (0,jsx_runtime/* jsxs */.FD)("small", { children: ["\u00B7 ", host] })] }), (0,jsx_runtime/* jsx */.Y)(Summary, { checks: snapshot.checks })] }), snapshot.storageProblem ? ((0,jsx_runtime/* jsxs */.FD)("div", { class: "error", role: "alert", children: ["The storage cannot be read (", snapshot.storageProblem, "): checks go on and show the state this server knows, without their history; backups and deploys are not shown until it answers again."] })) : null, (0,jsx_runtime/* jsx */.Y)("h2", { children: "Checks" }), snapshot.checks.length === 0 ? (0,jsx_runtime/* jsx */.Y)("p", { class: "empty", children: "No checks in berth.yml." }) : null, snapshot.checks.map((check) => ((0,jsx_runtime/* jsx */.Y)(CheckCard, { check: check, now: now }))), (0,jsx_runtime/* jsx */.Y)("h2", { children: "Backups" }), snapshot.backups.length === 0 && !snapshot.storageProblem ? (0,jsx_runtime/* jsx */.Y)("p", { class: "empty", children: "No backups in berth.yml." }) : null, (0,jsx_runtime/* jsx */.Y)("div", { class: "grid", children: snapshot.backups.map((backup) => ((0,jsx_runtime/* jsx */.Y)(BackupCard, { backup: backup, now: now }))) }), (0,jsx_runtime/* jsx */.Y)("h2", { children: "Recent deploys" }), snapshot.storageProblem ? null : (0,jsx_runtime/* jsx */.Y)(Deploys, { deploys: snapshot.deploys, now: now }), (0,jsx_runtime/* jsxs */.FD)("footer", { children: [(0,jsx_runtime/* jsxs */.FD)("span", { children: ["Updated ", stamp(now.toISOString()), " \u00B7 refreshes every ", REFRESH_SECONDS, " s"] }), canLogOut ? ((0,jsx_runtime/* jsx */.Y)("form", { method: "post", action: "/logout", children: (0,jsx_runtime/* jsx */.Y)("button", { type: "submit", children: "Log out" }) })) : null] })] }) }));
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
const session_digest = (value) => (0,external_node_crypto_.createHash)('sha256').update(value).digest();
/** Compares digests in constant time, so neither the token's length nor its content leaks through timing. */
function sameToken(given, expected) {
    return given !== undefined && (0,external_node_crypto_.timingSafeEqual)(session_digest(given), session_digest(expected));
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






/**
 * The pages run no script and load nothing from elsewhere, so the policy says exactly that: a link
 * someone slipped into the history (a deploy's `javascript:` URL) runs nothing, and no other site
 * may frame the login form.
 */
const pageHeaders = (0,secure_headers/* secureHeaders */.K)({
    contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ['data:'],
        scriptSrc: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
});
/** The login form holds the token alone: a bigger body is refused before it is read (it is open to anyone). */
const LOGIN_MAX_BYTES = 64 * 1024;
const loginLimit = (0,body_limit/* bodyLimit */.k)({
    maxSize: LOGIN_MAX_BYTES,
    onError: (c) => c.text(`The login form is over ${LOGIN_MAX_BYTES / 1024} KiB.`, 413),
});
function statusRoutes(deps) {
    const routes = new hono_dist/* Hono */.$();
    const token = deps.visibility === 'private' ? deps.apiToken : undefined;
    for (const path of ['/', '/login', '/logout'])
        routes.use(path, pageHeaders);
    routes.get('/', async (c) => {
        // A browser is sent to the form (a 401 page would log a console error); scripts use the bearer header.
        if (token && !(await hasSession(c, token)))
            return c.redirect('/login', 303);
        c.header('Cache-Control', 'no-store');
        const snapshot = await statusSnapshot(deps.sources);
        return c.html((0,jsx_runtime/* jsx */.Y)(StatusPage, { snapshot: snapshot, host: deps.host, canLogOut: token !== undefined }));
    });
    routes.get('/login', (c) => (token ? c.html((0,jsx_runtime/* jsx */.Y)(LoginPage, { host: deps.host, failed: false })) : c.redirect('/', 303)));
    routes.post('/login', loginLimit, async (c) => {
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
    if (deps.alerting) {
        api.route('/alerts', alertsRoutes(deps.alerting));
        api.route('/deployments', deploymentsRoutes(deps.alerting.deployments));
        // Signed by GitHub instead of the API token.
        app.route('/webhooks', githubWebhookRoutes(deps.webhookSecret, deps.alerting.github));
    }
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
;// CONCATENATED MODULE: ./build/server/metrics/metrics.js
/**
 * Prometheus metrics (prom-client) on a registry of the server's own: check state and latency,
 * backup age, size and last result, and Node's process metrics. Gauges read the services when
 * scraped; latencies are observed as checks finish. Other parts add their metrics to `registry`.
 */

const seconds = (iso) => Date.parse(iso) / 1000;
/**
 * A gauge's collect that leaves its series out while the storage cannot be read, instead of failing
 * the whole scrape (prom-client rejects it all when one collect throws): the check and process
 * metrics, and berth_storage_up = 0, still reach Prometheus during an outage.
 */
function tolerant(collect) {
    return async function () {
        try {
            await collect.call(this);
        }
        catch {
            this.reset();
        }
    };
}
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
        collect: tolerant(async function () {
            this.reset();
            for (const backup of sources.backups.names()) {
                const [good] = await sources.catalog.good(backup);
                const measured = good ? value(good) : null;
                if (measured !== null)
                    this.set({ backup }, measured);
            }
        }),
    });
    newestGood('berth_backup_last_success_timestamp_seconds', 'When the newest good backup started (Unix time).', (g) => seconds(g.startedAt));
    newestGood('berth_backup_age_seconds', 'Age of the newest good backup.', (g) => clock().getTime() / 1000 - seconds(g.startedAt));
    newestGood('berth_backup_size_bytes', 'Size of the newest good backup file.', (g) => g.sizeBytes);
    new prom_client.Gauge({
        name: 'berth_backup_last_run_success',
        help: 'Whether the latest backup run succeeded (1) or failed (0); absent while none finished.',
        labelNames: ['backup'],
        registers: [registry],
        collect: tolerant(async function () {
            this.reset();
            for (const name of sources.backups.names()) {
                const finished = (await sources.catalog.list(name, 5)).find((e) => e.status !== 'running');
                if (finished)
                    this.set({ backup: name }, finished.status === 'succeeded' ? 1 : 0);
            }
        }),
    });
    new prom_client.Gauge({
        name: 'berth_backup_fresh',
        help: 'Whether the newest good backup is as recent as the schedule says (1), or stale or missing (0).',
        labelNames: ['backup'],
        registers: [registry],
        collect: tolerant(async function () {
            this.reset();
            for (const backup of await sources.backups.overview())
                this.set({ backup: backup.name }, backup.freshness.status === 'fresh' ? 1 : 0);
        }),
    });
    const storageUp = sources.storageUp;
    if (storageUp)
        new prom_client.Gauge({
            name: 'berth_storage_up',
            help: 'Whether the storage (SQLite or PostgreSQL) answers (1) or not (0).',
            registers: [registry],
            async collect() {
                this.set((await storageUp()) ? 1 : 0);
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
// EXTERNAL MODULE: ./build/core/log.js
var log = __webpack_require__(7304);
;// CONCATENATED MODULE: ./build/server/storage/storage-clock.js
/**
 * The time servers sharing one PostgreSQL write into it: this machine's clock moved by its offset
 * from the database's. An alert's claim lapses, and a retry comes due, by times other servers
 * wrote; with clocks apart by more than a post's timeout, a server ahead would take a delivery
 * another is still posting (sent twice), and one behind would wait that much longer for a retry.
 * SQLite has one process: its clock is the machine's.
 */


/** How often the offset is measured again (NTP may step the clock meanwhile). */
const REMEASURE_MS = 5 * 60_000;
/** An offset worth a line in the log. */
const NOTED_OFFSET_MS = 1_000;
/** The database's time minus this machine's, from one round trip (its middle). */
async function measureOffset(storage, system) {
    const before = system().getTime();
    const [row] = await storage.all('SELECT EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS ms');
    const after = system().getTime();
    return Math.round(Number(row?.ms) - (before + after) / 2);
}
/** A clock for times shared through the storage; measured at start (a failure there is the storage's to report), then every 5 min. */
async function storageClock(storage, logger = log/* silentLogger */.q, system = () => new Date()) {
    if (storage.kind !== 'postgres')
        return system;
    let offset = await measureOffset(storage, system);
    if (Math.abs(offset) >= NOTED_OFFSET_MS)
        logger.warn(`this machine's clock is ${(Math.abs(offset) / 1000).toFixed(1)} s ${offset > 0 ? 'behind' : 'ahead of'} PostgreSQL's: times in the storage follow PostgreSQL's`);
    const timer = setInterval(() => {
        measureOffset(storage, system).then((measured) => (offset = measured), (error) => logger.debug(`storage clock: not measured: ${(0,errors/* describeError */.Uc)(error)}`));
    }, REMEASURE_MS);
    timer.unref();
    return () => new Date(system().getTime() + offset);
}
//# sourceMappingURL=storage-clock.js.map
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
async function startServer(argv, env) {
    const { values } = (0,external_node_util_.parseArgs)({ args: [...argv], options: { config: { type: 'string', short: 'c' } }, strict: true });
    const logger = jsonLogger();
    const config = await (0,load_config/* loadConfig */.Z9)(values.config ?? env.BERTH_CONFIG, env);
    const secrets = configSecrets(config);
    logger.addSecrets(...secrets);
    const storage = await (0,storage_storage/* openStorage */.Gz)(config.storage, logger);
    // Times compared across the servers sharing the storage (alert claims and retries, whose check state is newer): its clock.
    const clock = await storageClock(storage, logger);
    const catalog = new backup_catalog/* BackupCatalog */.S(storage);
    await catalog.failInterrupted(new Date().toISOString());
    // Checks and backups raise alerts; alerting reads their health and freshness and registers its metrics
    // on the server's registry: the sink forwards to alerting, bound once everything exists.
    const alerts = { raise: (event) => alerting.sink.raise(event) };
    const backups = new BackupService(config.backups, catalog, logger, undefined, alerts);
    // Metrics read the check service, and the service reports each run to them: bound once both exist.
    const checks = new CheckService(config.checks, {
        store: new CheckStore(storage),
        alerts,
        logger,
        observe: (check, result) => metrics.observeCheck(check, result),
        clock,
    });
    const metrics = createMetrics({
        checks,
        backups,
        catalog,
        storageUp: () => (0,storage_storage/* storageAnswers */.jB)(storage),
    });
    const alerting = createAlerting({
        config,
        storage,
        logger,
        registry: metrics.registry,
        secrets,
        backups,
        checks: checkHealth(checks),
        composeLogs: composeLogTail,
        clock,
    });
    await alerting.start();
    await backups.removeLeftovers();
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
        alerting,
        webhookSecret: config.github.webhookSecret,
        deploys: { recent: (limit) => alerting.deployments.views(limit) },
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
        await alerting.stop(); // undelivered alerts stay in the outbox for the next start
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
