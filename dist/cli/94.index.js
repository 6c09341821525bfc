export const id = 94;
export const ids = [94];
export const modules = {

/***/ 3323:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Od: () => (/* binding */ restoreCommand),
/* harmony export */   Y3: () => (/* binding */ dumpCommand),
/* harmony export */   wy: () => (/* binding */ splitPassword)
/* harmony export */ });
/* harmony import */ var _commands_compose_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9277);
/**
 * pg_dump command lines. Pure: argument lists and environment. The password never
 * appears in an argument (where `ps` would show it): it goes in PGPASSWORD.
 */

/** Plain SQL; objects owned by whoever restores it, so a dump restores into another role's database. */
const PG_DUMP = ['pg_dump', '--no-password', '--format=plain', '--no-owner'];
/** The URL without its password, and the password apart. */
function splitPassword(url) {
    const parsed = new URL(url);
    const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
    parsed.password = '';
    return { url: parsed.toString(), password };
}
function dumpCommand(source, compose) {
    if (source.kind === 'url') {
        const { url, password } = splitPassword(source.url);
        return { argv: [...PG_DUMP, `--dbname=${url}`], env: password === undefined ? {} : { PGPASSWORD: password } };
    }
    if (!compose)
        throw new TypeError('A compose backup source needs the Compose project.');
    return {
        argv: _commands_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .composeCommands */ .$j.exec(compose, source.service, [...PG_DUMP, '--username', source.user, '--dbname', source.database]),
        env: {},
        cwd: source.path,
    };
}
/** psql reading a plain dump from stdin, stopping at the first error, all or nothing. */
function restoreCommand(url) {
    const { url: bare, password } = splitPassword(url);
    return {
        argv: ['psql', '--no-password', '--quiet', '--no-psqlrc', '--set', 'ON_ERROR_STOP=1', '--single-transaction', `--dbname=${bare}`],
        env: password === undefined ? {} : { PGPASSWORD: password },
    };
}
//# sourceMappingURL=dump-command.js.map

/***/ }),

/***/ 8924:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hd: () => (/* binding */ timezoneProblem),
/* harmony export */   I9: () => (/* binding */ freshness),
/* harmony export */   K2: () => (/* binding */ cronProblem),
/* harmony export */   fL: () => (/* binding */ cronOptions),
/* harmony export */   lM: () => (/* binding */ previousOccurrence)
/* harmony export */ });
/* unused harmony exports CRON_MODE, FRESHNESS_GRACE_MS */
/* harmony import */ var croner__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5814);
/**
 * Cron schedules through one library (croner) for validation, scheduling and the most recent due
 * time, so what the config accepts is exactly what runs and what freshness understands.
 */

/** Classic 5-field cron, or 6 with seconds first. `L`, `#` and nicknames (`@daily`) as croner reads them. */
const CRON_MODE = '5-or-6-parts';
/** Croner's options for berth's schedules: the one place the cron dialect is chosen. */
function cronOptions(timezone) {
    return { mode: CRON_MODE, paused: true, ...(timezone ? { timezone } : {}) };
}
/** Parsed schedules, kept: a pattern costs ~80 KB (croner's year table), and config holds few distinct ones. */
const parsed = new Map();
function cronFor(expression, timezone) {
    const key = `${expression}\u0000${timezone ?? ''}`;
    let cron = parsed.get(key);
    if (!cron) {
        if (parsed.size >= 1000)
            parsed.clear(); // a bound, never reached by a real config
        cron = new croner__WEBPACK_IMPORTED_MODULE_0__/* .Cron */ .l4(expression, cronOptions(timezone));
        parsed.set(key, cron);
    }
    return cron;
}
/** Null when valid, else what is wrong (croner's words, without its prefix). */
function cronProblem(expression) {
    let cron;
    try {
        cron = cronFor(expression, undefined);
    }
    catch (error) {
        const message = error.message.replace(/^CronPattern:\s*/, '');
        return /space separated parts/.test(message) ? 'expected 5 fields (minute hour day month weekday), or 6 with seconds first' : message;
    }
    // `0 0 30 2 *` parses but never comes: a schedule that never runs is a mistake, not a choice.
    return cron.nextRun() === null ? 'it never matches a date' : null;
}
/** Null when the zone is known to this Node's ICU, else the problem. */
function timezoneProblem(zone) {
    try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return null;
    }
    catch {
        return `unknown time zone '${zone}'`;
    }
}
/** The latest time at or before `at` that the schedule names; undefined if none. */
function previousOccurrence(expression, timezone, at) {
    // previousRuns gives runs before its reference (and earlier in the reference's second): 1 ms later includes `at` itself.
    const [previous] = cronFor(expression, timezone).previousRuns(1, new Date(at.getTime() + 1));
    return previous && previous.getTime() <= at.getTime() ? previous : undefined;
}
/** Runs that finish within this long after their scheduled time are on time. */
const FRESHNESS_GRACE_MS = 60 * 60_000;
/** Stale when the newest good backup is older than the last scheduled run that should have finished by now. */
function freshness(expression, timezone, lastGoodAt, now) {
    const due = previousOccurrence(expression, timezone, new Date(now.getTime() - FRESHNESS_GRACE_MS));
    const expectedSince = due ? due.toISOString() : null;
    if (!lastGoodAt)
        return { status: 'never', lastGoodAt: null, expectedSince };
    const stale = due !== undefined && Date.parse(lastGoodAt) < due.getTime();
    return { status: stale ? 'stale' : 'fresh', lastGoodAt, expectedSince };
}
//# sourceMappingURL=schedule.js.map

/***/ }),

/***/ 1594:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Z9: () => (/* binding */ loadConfig)
});

// UNUSED EXPORTS: ConfigError, interpolate, parseConfig

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./build/core/errors.js
var errors = __webpack_require__(2807);
// EXTERNAL MODULE: ./build/core/key-path.js
var key_path = __webpack_require__(7849);
;// CONCATENATED MODULE: ./build/server/config/format-issues.js

function valueAt(data, path) {
    let value = data;
    for (const key of path)
        value = value && typeof value === 'object' ? value[key] : undefined;
    return value;
}
/** What a wrong value was, without repeating text: numbers as written (`.inf` too), anything else by its kind. */
function shown(value) {
    if (typeof value === 'number' || typeof value === 'boolean' || value === null)
        return String(value);
    if (typeof value === 'string')
        return 'text';
    return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : typeof value;
}
/** One problem line per issue (per key for unknown keys), in the order zod found them. */
function formatIssues(issues, data) {
    const lines = [];
    for (const issue of issues) {
        const path = (0,key_path/* keyPath */.D)(issue.path);
        if (issue.code === 'unrecognized_keys') {
            for (const key of issue.keys)
                lines.push(`${path ? `${path}.` : ''}${key}: ${issue.message}`);
            continue;
        }
        let message = issue.message;
        // A wrong number says what it got; text never does (`port: ${SECRET}` may hold a secret).
        if (/^expected a (whole )?number/.test(message))
            message = `${message}, got ${shown(valueAt(data, issue.path))}`;
        lines.push(`${path || 'the config'}: ${message}`);
    }
    return [...new Set(lines)];
}
//# sourceMappingURL=format-issues.js.map
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(8816);
;// CONCATENATED MODULE: ./build/server/config/server-config.js
const SERVER_DEFAULTS = {
    port: 8080,
    storageUrl: 'sqlite:./data/berth.db',
    schedule: '0 6 * * *',
    keepDays: 30,
    keepMin: 3,
    checkSchedule: '*/30 * * * *',
    checkFailures: 2,
    checkSuccesses: 1,
    checkTimeoutSeconds: 10,
    telegramApiUrl: 'https://api.telegram.org',
    statusPage: 'private',
};
//# sourceMappingURL=server-config.js.map
// EXTERNAL MODULE: ./build/core/backup/schedule.js
var schedule = __webpack_require__(8924);
;// CONCATENATED MODULE: ./build/server/config/schema/primitives.js
/**
 * The building blocks of berth.yml's schema (zod 4). Each carries the message a user sees after
 * its key path, so errors read `checks[1].url: expected an http or https URL, got 'ftp:'`.
 * Numbers and booleans also accept strings, since `${VAR}` interpolation yields strings.
 */


/** A mapping with exactly these keys: any other key is reported with the known ones. */
function section(shape, description) {
    const known = Object.keys(shape).join(', ');
    const schema = schemas/* strictObject */.rej(shape, {
        error: (issue) => issue.code === 'unrecognized_keys'
            ? `unknown key (known: ${known})`
            : issue.input === undefined
                ? 'is required'
                : 'expected a mapping',
    });
    return description ? schema.describe(description) : schema;
}
/** A list of items; `items` names what is expected in the message. */
function list(item, description) {
    return schemas/* array */.YOg(item, { error: (issue) => (issue.input === undefined ? 'is required' : 'expected a list') }).describe(description);
}
const fromString = (value) => {
    if (typeof value !== 'string')
        return value;
    const text = value.trim();
    if (/^-?\d+(\.\d+)?$/.test(text))
        return Number(text);
    if (text === 'true' || text === 'false')
        return text === 'true';
    return value;
};
/** A whole number within bounds (strings of digits accepted); the default goes inside, as zod applies it after preprocessing. */
function integer(min, max, fallback) {
    const expected = `expected a whole number from ${min} to ${max}`;
    const number = schemas/* int */.Whr({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
    return schemas/* preprocess */.vkY(fromString, fallback === undefined ? number : number.default(fallback));
}
/** A number of seconds, fractions allowed. */
function seconds(max, fallback) {
    const expected = `expected a number of seconds above 0, at most ${max}`;
    return schemas/* preprocess */.vkY(fromString, schemas/* number */.aig({ error: expected }).positive({ error: expected }).max(max, { error: expected }).default(fallback));
}
function flag(fallback) {
    return schemas/* preprocess */.vkY(fromString, schemas/* boolean */.zMY({ error: 'expected true or false' }).default(fallback));
}
/** A non-empty string; numbers are taken as their text (a YAML `chat-id: -100123`). */
const primitives_text = schemas/* preprocess */.vkY((value) => (typeof value === 'number' ? String(value) : value), schemas/* string */.YjP({ error: (issue) => (issue.input === undefined ? 'is required' : 'expected a string') }).min(1, { error: 'is required' }));
/** A name that also names files and URL paths. */
const primitives_name = schemas/* string */.YjP({ error: (issue) => (issue.input === undefined ? 'is required' : 'expected a string') })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: "use letters, digits, '.', '_' and '-' (it names files and URLs), at most 64" });
function urlProblem(value, protocols) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return 'is not a valid URL';
    }
    if (protocols.includes(url.protocol))
        return undefined;
    const names = protocols.map((p) => p.slice(0, -1));
    return `expected a${names[0]?.startsWith('h') ? 'n' : ''} ${names.join(' or ')} URL, got '${url.protocol}'`;
}
/** A URL with one of the protocols (`'https:'`); the message never repeats the URL, which may hold a password. */
function url(protocols, description) {
    return primitives_text
        .pipe(schemas/* string */.YjP().superRefine((value, ctx) => {
        const problem = urlProblem(value, protocols);
        if (problem)
            ctx.addIssue({ code: 'custom', message: problem });
    }))
        .describe(description);
}
const httpUrl = (description) => url(['http:', 'https:'], description);
const postgresUrl = (description) => url(['postgres:', 'postgresql:'], description);
/** A cron expression croner accepts: 5 fields, or 6 with seconds first. */
function cron(fallback, description) {
    return schemas/* string */.YjP({ error: 'expected a cron expression in quotes' })
        .superRefine((value, ctx) => {
        const problem = (0,schedule/* cronProblem */.K2)(value);
        if (problem)
            ctx.addIssue({ code: 'custom', message: `'${value}' is not a valid cron expression (${problem})` });
    })
        .default(fallback)
        .describe(description);
}
const timezone = schemas/* string */.YjP({ error: 'expected an IANA time zone such as Europe/Kyiv' })
    .superRefine((value, ctx) => {
    const problem = (0,schedule/* timezoneProblem */.Hd)(value);
    if (problem)
        ctx.addIssue({ code: 'custom', message: problem });
})
    .optional()
    .describe('IANA time zone of the schedule; default UTC');
const DURATION_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** `30m`, `4h`, `1d` → milliseconds. */
const duration = schemas/* string */.YjP({ error: 'expected a duration such as 30m, 4h or 1d' })
    .regex(/^\d+\s*[smhd]$/, { error: 'expected a duration such as 30m, 4h or 1d' })
    .transform((value) => Number(value.slice(0, -1).trim()) * DURATION_MS[value.slice(-1)]);
/** The message of a `type:` discriminated union: missing, unknown, or not a mapping at all. */
function typeError(types) {
    return (issue) => {
        if (issue.code !== 'invalid_union')
            return 'expected a mapping';
        const type = issue.input?.type;
        return type === undefined ? `is required: ${types}` : `expected ${types}, got ${JSON.stringify(type)}`;
    };
}
//# sourceMappingURL=primitives.js.map
;// CONCATENATED MODULE: ./build/server/config/schema/alerts-schema.js
/** `alerts:` and `github:` — where alerts go, and the secret GitHub signs webhook deliveries with. */



const slack = section({ type: schemas/* literal */.euz('slack'), url: httpUrl('the Slack incoming-webhook URL') });
const discord = section({ type: schemas/* literal */.euz('discord'), url: httpUrl('the Discord webhook URL') });
const webhook = section({ type: schemas/* literal */.euz('webhook'), url: httpUrl('receives a versioned JSON body by POST') });
const telegram = section({
    type: schemas/* literal */.euz('telegram'),
    token: primitives_text.describe('the bot token from @BotFather'),
    'chat-id': primitives_text.describe('the chat, group or channel id (quote negative ids: "-100123")'),
    'api-url': httpUrl('the Bot API base URL, for tests and proxies').default(SERVER_DEFAULTS.telegramApiUrl),
});
const TYPES = 'slack, discord, telegram or webhook';
const channel = schemas/* discriminatedUnion */.gMt('type', [slack, discord, telegram, webhook], { error: typeError(TYPES) })
    .transform((c) => c.type === 'telegram' ? { type: c.type, token: c.token, chatId: c['chat-id'], apiUrl: c['api-url'].replace(/\/+$/, '') } : c);
const alertsSchema = list(channel, 'chat channels and webhooks that alerts go to').default([]);
const githubSchema = section({
    'webhook-secret': primitives_text.optional().describe('the secret of the repository webhook; without it /webhooks/github answers 404'),
})
    .default({})
    .transform((g) => ({ webhookSecret: g['webhook-secret'] }));
//# sourceMappingURL=alerts-schema.js.map
;// CONCATENATED MODULE: ./build/server/config/schema/backups-schema.js


const composeSource = section({
    path: primitives_text.describe('the Compose project folder on this host'),
    service: primitives_text.describe('the database service'),
    database: primitives_text,
    user: primitives_text,
}, 'pg_dump inside the database container, through docker compose exec');
const backup = section({
    name: primitives_name.describe('names the files: <name>_<YYYYmmdd-HHMMSS>.sql.gz'),
    'database-url': postgresUrl('postgres://user:pass@host:5432/db; pg_dump connects directly').optional(),
    compose: composeSource.optional(),
    schedule: cron(SERVER_DEFAULTS.schedule, 'cron; default daily at 06:00'),
    timezone: timezone,
    dir: primitives_text.optional().describe('default ./data/backups/<name>'),
    'keep-days': integer(0, 36_500, SERVER_DEFAULTS.keepDays).describe('remove backups older than this many days'),
    'keep-min': integer(1, 10_000, SERVER_DEFAULTS.keepMin).describe('but always keep this many of the newest'),
})
    .superRefine((b, ctx) => {
    if (b['database-url'] && b.compose)
        ctx.addIssue({ code: 'custom', message: 'give database-url or compose, not both' });
    if (!b['database-url'] && !b.compose)
        ctx.addIssue({ code: 'custom', message: 'needs database-url or compose: { path, service, database, user }' });
})
    .transform((b) => ({
    name: b.name,
    source: b.compose ? { kind: 'compose', ...b.compose } : { kind: 'url', url: b['database-url'] ?? '' },
    schedule: b.schedule,
    timezone: b.timezone,
    dir: b.dir ?? `./data/backups/${b.name}`,
    keepDays: b['keep-days'],
    keepMin: b['keep-min'],
}));
const backupsSchema = list(backup, 'PostgreSQL databases to back up on a schedule').default([]);
//# sourceMappingURL=backups-schema.js.map
;// CONCATENATED MODULE: ./build/server/config/schema/checks-schema.js
/** `checks:` — health checks of four types, each on its own schedule with down/up thresholds. */



const common = {
    name: primitives_name.describe('unique; names the check in alerts, the API and the status page'),
    schedule: cron(SERVER_DEFAULTS.checkSchedule, 'cron (UTC), 5 fields or 6 with seconds first; default every 30 minutes'),
    failures: integer(1, 1000, SERVER_DEFAULTS.checkFailures).describe('consecutive failures before the check is down'),
    successes: integer(1, 1000, SERVER_DEFAULTS.checkSuccesses).describe('consecutive passes before it is up again'),
    timeout: seconds(3600, SERVER_DEFAULTS.checkTimeoutSeconds).describe('seconds one run may take'),
    'remind-every': duration.optional().describe('repeat a still-down alert this often (30m, 4h, 1d); default never'),
};
const statusCode = integer(100, 599);
const http = section({
    type: schemas/* literal */.euz('http'),
    ...common,
    url: httpUrl('http(s) URL fetched with GET'),
    status: schemas/* union */.KCZ([statusCode, list(statusCode, 'accepted statuses').min(1, { error: 'list at least one status' })], {
        error: 'expected a status such as 200, or a list of them',
    })
        .optional()
        .describe('accepted status or statuses; default any 2xx'),
    contains: primitives_text.optional().describe('text the body must contain (the first 1 MB is read)'),
    'follow-redirects': flag(false).describe('follow redirects (default: a redirect is the answer)'),
});
const compose = section({
    type: schemas/* literal */.euz('compose'),
    ...common,
    path: primitives_text.describe('the Compose project folder on this host'),
    'project-name': primitives_text.optional(),
    'compose-files': list(primitives_text, 'compose files, relative to path').optional(),
});
const tcp = section({
    type: schemas/* literal */.euz('tcp'),
    ...common,
    host: primitives_text,
    port: integer(1, 65_535),
});
const postgres = section({
    type: schemas/* literal */.euz('postgres'),
    ...common,
    url: postgresUrl('postgres://user:pass@host:5432/db; connects and runs SELECT 1'),
});
const checks_schema_TYPES = 'http, compose, tcp or postgres';
const check = schemas/* discriminatedUnion */.gMt('type', [http, compose, tcp, postgres], { error: typeError(checks_schema_TYPES) }).transform((c) => {
    const base = {
        name: c.name,
        schedule: c.schedule,
        failures: c.failures,
        successes: c.successes,
        timeoutMs: Math.round(c.timeout * 1000),
        remindEveryMs: c['remind-every'],
    };
    switch (c.type) {
        case 'http':
            return {
                ...base,
                type: c.type,
                url: c.url,
                status: c.status === undefined ? undefined : [c.status].flat(),
                contains: c.contains,
                followRedirects: c['follow-redirects'],
            };
        case 'compose':
            return { ...base, type: c.type, path: c.path, projectName: c['project-name'], composeFiles: c['compose-files'] ?? [] };
        case 'tcp':
            return { ...base, type: c.type, host: c.host, port: c.port };
        case 'postgres':
            return { ...base, type: c.type, url: c.url };
    }
});
const checksSchema = list(check, 'health checks, each on its own schedule').default([]);
//# sourceMappingURL=checks-schema.js.map
;// CONCATENATED MODULE: ./build/server/config/schema/berth-schema.js
/**
 * The whole of berth.yml as one zod schema: it validates the file and, through
 * `z.toJSONSchema`, generates schema/berth.schema.json for editors (never written twice).
 */






const storageUrl = primitives_text
    .pipe(schemas/* string */.YjP().superRefine((url, ctx) => {
    if (url.startsWith('sqlite:'))
        return;
    let protocol;
    try {
        protocol = new URL(url).protocol;
    }
    catch {
        // not a URL at all: reported below
    }
    // Only the scheme is repeated: the rest of a storage URL may hold a password, in any form.
    if (!protocol || !/^postgres(ql)?:$/.test(protocol))
        ctx.addIssue({
            code: 'custom',
            message: `expected sqlite:<path> or postgres://user:pass@host/db, got ${protocol ? `'${protocol}'` : 'something that is not a URL'}`,
        });
}))
    .default(SERVER_DEFAULTS.storageUrl)
    .describe('sqlite:<path> (default sqlite:./data/berth.db) or postgres://user:pass@host/db; several servers may share one PostgreSQL');
const storage = section({ url: storageUrl })
    .default({ url: SERVER_DEFAULTS.storageUrl })
    .transform(({ url }) => url.startsWith('sqlite:') ? { kind: 'sqlite', url, path: url.slice('sqlite:'.length) || './data/berth.db' } : { kind: 'postgres', url });
const berthSchema = section({
    port: integer(1, 65_535, SERVER_DEFAULTS.port).describe('HTTP port; PORT in the environment wins'),
    'api-token': primitives_text
        .pipe(schemas/* string */.YjP().min(16, { error: 'use at least 16 characters (openssl rand -hex 32)' }))
        .optional()
        .describe('bearer token for /api and a private status page; without one the server listens on 127.0.0.1 only'),
    storage,
    backups: backupsSchema,
    checks: checksSchema,
    alerts: alertsSchema,
    github: githubSchema,
    'status-page': schemas/* enum */.k5n(['public', 'private'], { error: 'expected public or private' })
        .default(SERVER_DEFAULTS.statusPage)
        .describe('public: / needs no token; private (default): the API token or a login'),
}).transform((top) => ({
    port: top.port,
    apiToken: top['api-token'],
    storage: top.storage,
    backups: top.backups,
    checks: top.checks,
    alerts: top.alerts,
    github: top.github,
    statusPage: top['status-page'],
}));
/** The berth.yml port schema alone, for PORT from the environment. */
const portSchema = integer(1, 65_535);
//# sourceMappingURL=berth-schema.js.map
;// CONCATENATED MODULE: ./build/server/config/load-config.js
/**
 * Reads berth.yml: YAML, then `${VAR}` interpolation in string values (from the environment,
 * `${VAR:-default}` allowed), then validation against the schema. Every problem names its key path,
 * all of them at once, and the server does not start.
 */






class ConfigError extends errors/* BerthError */.e4 {
    name = 'ConfigError';
}
/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string and records unset variables. A string
 * that ends up empty counts as not given, so `api-token: ${TOKEN:-}` means "no token".
 */
function interpolate(value, env, path, problems) {
    if (typeof value === 'string') {
        const out = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name, fallback) => {
            const found = env[name];
            if (found !== undefined && found !== '')
                return found;
            if (fallback !== undefined)
                return fallback;
            problems.push(`${path}: refers to \${${name}}, which is not set in the environment`);
            return '';
        });
        return out === '' ? undefined : out;
    }
    if (Array.isArray(value))
        return value.map((item, i) => interpolate(item, env, `${path}[${i}]`, problems));
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, env, path ? `${path}.${key}` : key, problems)]));
    }
    return value;
}
/** Names used twice within `backups` or `checks` (they key files, routes and alerts). */
function duplicateNames(data) {
    const problems = [];
    for (const key of ['backups', 'checks']) {
        const items = data?.[key];
        if (!Array.isArray(items))
            continue;
        const seen = new Set();
        const repeated = new Set();
        for (const item of items) {
            const name = item?.name;
            if (typeof name !== 'string')
                continue;
            (seen.has(name) ? repeated : seen).add(name);
        }
        for (const dup of repeated)
            problems.push(`${key}: the name '${dup}' is used twice`);
    }
    return problems;
}
/** Parses and validates config text. Throws one ConfigError listing every problem. */
function parseConfig(text, env, source = 'berth.yml') {
    let raw;
    try {
        raw = (0,dist.parse)(text) ?? {};
    }
    catch (error) {
        throw new ConfigError(`${source} is not valid YAML: ${error.message}`);
    }
    const problems = [];
    const data = interpolate(raw, env, '', problems) ?? {};
    // An unset variable is reported once, not again as the missing or malformed value it left.
    const unset = new Set(problems.map((p) => p.slice(0, p.indexOf(':'))));
    const parsed = berthSchema.safeParse(data);
    if (!parsed.success) {
        problems.push(...formatIssues(parsed.error.issues.filter((issue) => !unset.has((0,key_path/* keyPath */.D)(issue.path))), data));
    }
    problems.push(...duplicateNames(data));
    const port = env.PORT ? portSchema.safeParse(env.PORT) : undefined;
    if (port && !port.success)
        problems.push(...formatIssues(port.error.issues, env.PORT).map((line) => line.replace(/^the config/, 'PORT')));
    if (problems.length > 0 || !parsed.success)
        throw new ConfigError(`Invalid configuration in ${source}:\n  ${problems.join('\n  ')}`, 'Fix the keys above; the server did not start.');
    return port?.success ? { ...parsed.data, port: port.data } : parsed.data;
}
/** Loads the config file, or the embedded default (SQLite under ./data, nothing scheduled) when there is none. */
async function loadConfig(path, env) {
    if (!path)
        return parseConfig('', env, 'the default configuration');
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (error) {
        throw new ConfigError(`Cannot read the config ${path}: ${error.code ?? error.message}.`);
    }
    return parseConfig(text, env, path);
}
//# sourceMappingURL=load-config.js.map

/***/ }),

/***/ 6785:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ serverGone),
/* harmony export */   i: () => (/* binding */ SERVER_ID)
/* harmony export */ });
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8161);
/** This server process among others on shared storage: `host:pid`. */

const SERVER_ID = `${(0,node_os__WEBPACK_IMPORTED_MODULE_0__.hostname)()}:${process.pid}`;
/**
 * Whether the server that wrote `id` is gone: a process of this host that no longer exists.
 * A server on another host is never judged from here; it cleans up after itself when it restarts.
 */
function serverGone(id) {
    if (!id)
        return true;
    const [host, pid] = [id.slice(0, id.lastIndexOf(':')), Number(id.slice(id.lastIndexOf(':') + 1))];
    if (host !== (0,node_os__WEBPACK_IMPORTED_MODULE_0__.hostname)())
        return false;
    if (pid === process.pid)
        return false;
    try {
        process.kill(pid, 0);
        return false;
    }
    catch (error) {
        return error.code === 'ESRCH';
    }
}
//# sourceMappingURL=server-id.js.map

/***/ }),

/***/ 122:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S: () => (/* binding */ BackupCatalog)
/* harmony export */ });
/* harmony import */ var _server_id_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6785);
/** The backup catalog: one row per run, with its outcome, file, size and sha256. */

const toNumber = (value) => (value === null ? null : Number(value));
function fromRow(row) {
    return {
        id: row.id,
        name: row.name,
        status: row.status,
        trigger: row.triggered_by,
        file: row.file,
        sizeBytes: toNumber(row.size_bytes),
        sha256: row.sha256,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        durationMs: toNumber(row.duration_ms),
        error: row.error,
        removedAt: row.removed_at,
    };
}
class BackupCatalog {
    storage;
    constructor(storage) {
        this.storage = storage;
    }
    async start(id, name, trigger, startedAt, runner = _server_id_js__WEBPACK_IMPORTED_MODULE_0__/* .SERVER_ID */ .i) {
        await this.storage.run('INSERT INTO backups (id, name, status, triggered_by, started_at, runner) VALUES (?, ?, ?, ?, ?, ?)', [
            id,
            name,
            'running',
            trigger,
            startedAt,
            runner,
        ]);
    }
    async succeed(id, result, finishedAt) {
        await this.storage.run('UPDATE backups SET status = ?, file = ?, size_bytes = ?, sha256 = ?, duration_ms = ?, finished_at = ? WHERE id = ?', ['succeeded', result.file, result.sizeBytes, result.sha256, result.durationMs, finishedAt, id]);
    }
    async fail(id, error, durationMs, finishedAt) {
        await this.storage.run('UPDATE backups SET status = ?, error = ?, duration_ms = ?, finished_at = ? WHERE id = ?', [
            'failed',
            error,
            durationMs,
            finishedAt,
            id,
        ]);
    }
    async markRemoved(id, at) {
        await this.storage.run('UPDATE backups SET removed_at = ? WHERE id = ?', [at, id]);
    }
    /**
     * Runs left 'running' by a crash or shutdown are failed, so none stays running forever. With
     * shared storage only runs of servers that are gone: another server's running backup is its own.
     */
    async failInterrupted(at, gone = _server_id_js__WEBPACK_IMPORTED_MODULE_0__/* .serverGone */ .X) {
        const running = await this.storage.all("SELECT id, runner FROM backups WHERE status = 'running'");
        const interrupted = running.filter((row) => gone(row.runner));
        for (const row of interrupted)
            await this.storage.run("UPDATE backups SET status = 'failed', error = ?, finished_at = ? WHERE id = ? AND status = 'running'", [
                'interrupted: the server stopped during the backup',
                at,
                row.id,
            ]);
        return interrupted.length;
    }
    async get(id) {
        const [row] = await this.storage.all('SELECT * FROM backups WHERE id = ?', [id]);
        return row ? fromRow(row) : undefined;
    }
    /** Newest first; all backups or one name's. */
    async list(name, limit = 200) {
        const rows = name
            ? await this.storage.all('SELECT * FROM backups WHERE name = ? ORDER BY started_at DESC LIMIT ?', [name, limit])
            : await this.storage.all('SELECT * FROM backups ORDER BY started_at DESC LIMIT ?', [limit]);
        return rows.map(fromRow);
    }
    /** Good backups whose file is still there, newest first. */
    async good(name) {
        const rows = await this.storage.all("SELECT * FROM backups WHERE name = ? AND status = 'succeeded' AND removed_at IS NULL ORDER BY started_at DESC", [name]);
        return rows.map(fromRow);
    }
    async byFile(file) {
        const [row] = await this.storage.all("SELECT * FROM backups WHERE file = ? AND status = 'succeeded' ORDER BY started_at DESC LIMIT 1", [file]);
        return row ? fromRow(row) : undefined;
    }
}
//# sourceMappingURL=backup-catalog.js.map

/***/ }),

/***/ 8998:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Gz: () => (/* binding */ openStorage),
  jB: () => (/* binding */ storageAnswers)
});

// UNUSED EXPORTS: QUERY_TIMEOUT_MS, StorageError, toPgPlaceholders

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:sqlite"
var external_node_sqlite_ = __webpack_require__(99);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(6230);
// EXTERNAL MODULE: ./build/core/errors.js
var errors = __webpack_require__(2807);
// EXTERNAL MODULE: ./build/core/redact.js
var redact = __webpack_require__(193);
// EXTERNAL MODULE: ./build/core/log.js
var log = __webpack_require__(7304);
;// CONCATENATED MODULE: ./build/server/storage/migrations.js
const MIGRATIONS = [
    `CREATE TABLE backups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    triggered_by TEXT NOT NULL,
    file TEXT,
    size_bytes BIGINT,
    sha256 TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    duration_ms BIGINT,
    error TEXT,
    removed_at TEXT
  )`,
    'CREATE INDEX backups_name_started ON backups (name, started_at)',
    `CREATE TABLE check_results (
    id TEXT PRIMARY KEY,
    check_name TEXT NOT NULL,
    at TEXT NOT NULL,
    ok INTEGER NOT NULL,
    latency_ms BIGINT NOT NULL,
    error TEXT,
    details TEXT
  )`,
    'CREATE INDEX check_results_name_at ON check_results (check_name, at)',
    `CREATE TABLE check_states (
    check_name TEXT PRIMARY KEY,
    health TEXT NOT NULL,
    since TEXT,
    failures_in_row INTEGER NOT NULL,
    successes_in_row INTEGER NOT NULL,
    failing_since TEXT,
    updated_at TEXT NOT NULL
  )`,
    `CREATE TABLE check_events (
    id TEXT PRIMARY KEY,
    check_name TEXT NOT NULL,
    at TEXT NOT NULL,
    from_health TEXT NOT NULL,
    to_health TEXT NOT NULL,
    since TEXT,
    error TEXT
  )`,
    'CREATE INDEX check_events_name_at ON check_events (check_name, at)',
    // One row per (job, scheduled time): the server whose insert wins runs the tick.
    `CREATE TABLE job_claims (
    job TEXT NOT NULL,
    tick TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (job, tick)
  )`,
    // Which server runs a backup, so a restarted server fails only its own interrupted runs, not a replica's.
    'ALTER TABLE backups ADD COLUMN runner TEXT',
    // Alerts (server/alerts): the outbox, one row per alert and one per (alert, channel) delivery.
    `CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    alert_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT,
    event TEXT NOT NULL,
    context TEXT NOT NULL,
    created_at TEXT NOT NULL
  )`,
    'CREATE INDEX alerts_created ON alerts (created_at)',
    'CREATE INDEX alerts_kind_subject ON alerts (kind, subject, created_at)',
    `CREATE TABLE alert_deliveries (
    id TEXT PRIMARY KEY,
    alert_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_at TEXT NOT NULL,
    last_error TEXT,
    last_attempt_at TEXT,
    delivered_at TEXT,
    created_at TEXT NOT NULL
  )`,
    'CREATE INDEX alert_deliveries_due ON alert_deliveries (channel, state, next_at)',
    'CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id)',
    // Each check's health as alerts last announced it: the state change that moves it is announced once.
    `CREATE TABLE alert_states (
    subject TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    alert_key TEXT NOT NULL,
    changed_at TEXT NOT NULL
  )`,
    // GitHub webhooks (server/webhooks): delivery ids seen, and deployment statuses as each environment's history.
    `CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    event TEXT NOT NULL,
    action TEXT,
    received_at TEXT NOT NULL
  )`,
    'CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at)',
    `CREATE TABLE deployment_statuses (
    status_id BIGINT PRIMARY KEY,
    deployment_id BIGINT NOT NULL,
    repository TEXT NOT NULL,
    environment TEXT NOT NULL,
    state TEXT NOT NULL,
    sha TEXT NOT NULL,
    ref TEXT NOT NULL,
    description TEXT,
    creator TEXT,
    log_url TEXT,
    environment_url TEXT,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL
  )`,
    'CREATE INDEX deployment_statuses_deployment ON deployment_statuses (deployment_id, status_id)',
];
async function migrate(storage) {
    await storage.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set((await storage.all('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    for (const [index, sql] of MIGRATIONS.entries()) {
        const version = index + 1;
        if (done.has(version))
            continue;
        await storage.run(sql);
        await storage.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [version, new Date().toISOString()]);
    }
}
//# sourceMappingURL=migrations.js.map
;// CONCATENATED MODULE: ./build/server/storage/storage.js
/**
 * The server's database: SQLite (node:sqlite, a file, no service) by default, PostgreSQL when
 * configured. One code path: SQL is written once with `?` placeholders; each driver adapts it.
 */








/** How often an SQLite storage looks whether its file is still the one it opened. */
const FILE_CHECK_MS = 1_000;
class SqliteStorage {
    path;
    kind = 'sqlite';
    db;
    opened;
    checkedAt = 0;
    /** Set once the file was deleted or replaced: the open handle writes into a file no one will read again. */
    lost;
    constructor(path) {
        this.path = path;
        (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(path), { recursive: true });
        this.db = new external_node_sqlite_.DatabaseSync(path);
        // WAL with synchronous=NORMAL (SQLite's advice for WAL): a commit survives the process dying, and
        // node:sqlite's synchronous calls no longer wait for an fsync each, which blocked the event loop.
        this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
        const { dev, ino } = (0,external_node_fs_.statSync)(path);
        this.opened = { dev, ino };
    }
    async all(sql, params = []) {
        this.sameFile();
        return this.db.prepare(sql).all(...params);
    }
    async run(sql, params = []) {
        this.sameFile();
        return Number(this.db.prepare(sql).run(...params).changes);
    }
    async exclusive(_key, work) {
        return work(this);
    }
    async close() {
        this.db.close();
    }
    /**
     * Throws once the file at the path is not the one opened (deleted, or replaced by a restore or a
     * clean-up): without this, every write would go on "succeeding" into an unlinked file, and the
     * next start would begin with an empty database. So the storage counts as away (logged, and
     * berth_storage_up 0) until the server is restarted.
     */
    sameFile() {
        const now = Date.now();
        if (!this.lost && now - this.checkedAt >= FILE_CHECK_MS) {
            this.checkedAt = now;
            let what;
            try {
                const { dev, ino } = (0,external_node_fs_.statSync)(this.path);
                if (dev !== this.opened.dev || ino !== this.opened.ino)
                    what = 'was replaced by another file';
            }
            catch (error) {
                what = `is gone (${error.code ?? (0,errors/* describeError */.Uc)(error)})`;
            }
            if (what) {
                this.lost = new errors/* BerthError */.e4(`The SQLite storage ${this.path} ${what} while the server ran: what the server writes now would be lost.`, 'Restart the server (it opens the file at the path again), and restore the file from a copy if it was deleted by mistake.');
            }
        }
        if (this.lost)
            throw this.lost;
    }
}
/** Whether the storage answers a query now: what `berth_storage_up` shows and what alerts wait for. Never throws. */
function storageAnswers(storage) {
    return storage.all('SELECT 1 AS ok').then(() => true, () => false);
}
/** `?` placeholders as PostgreSQL's `$1, $2, …`. */
function toPgPlaceholders(sql) {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
}
/**
 * How long one PostgreSQL query may take. berth's queries are small; one that waits longer is held by
 * a lock or a lost network path, and failing it lets the caller go on as if the storage were away
 * (a check still goes down and alerts, the page still answers) instead of waiting for ever.
 */
const QUERY_TIMEOUT_MS = 5_000;
class PostgresStorage {
    db;
    url;
    kind = 'postgres';
    constructor(db, url) {
        this.db = db;
        this.url = url;
    }
    async all(sql, params = []) {
        return (await this.db.query(toPgPlaceholders(sql), [...params])).rows;
    }
    async run(sql, params = []) {
        return (await this.db.query(toPgPlaceholders(sql), [...params])).rowCount ?? 0;
    }
    /** On a connection of its own, without the pool's query timeout: waiting for another server's migrations is expected. */
    async exclusive(key, work) {
        const client = new esm/* default.Client */.Ay.Client({ connectionString: this.url, connectionTimeoutMillis: 10_000 });
        client.on('error', () => undefined); // a lost connection fails the query under way, which is reported
        await client.connect();
        try {
            await client.query('SELECT pg_advisory_lock($1)', [key]);
            return await work(new PostgresStorage(client, this.url));
        }
        finally {
            await client.end(); // ends the session, and with it the advisory lock
        }
    }
    async close() {
        if (this.db instanceof esm/* default.Pool */.Ay.Pool)
            await this.db.end();
    }
}
function postgresPool(url, logger, queryTimeoutMs) {
    const pool = new esm/* default.Pool */.Ay.Pool({
        connectionString: url,
        max: 4,
        connectionTimeoutMillis: 10_000,
        // Cancelled by PostgreSQL (a lock), or, a second later, given up by the client (no answer at all).
        statement_timeout: queryTimeoutMs,
        query_timeout: queryTimeoutMs + 1_000,
    });
    // An idle client whose server restarts emits 'error' on the pool; unheard, it would end the process.
    // The pool drops that client and the next query opens a new one.
    pool.on('error', (error) => logger.warn(`storage: a PostgreSQL connection was lost: ${(0,errors/* describeError */.Uc)(error)}`));
    return pool;
}
/** Advisory-lock key for schema migrations ("berth" in ASCII). */
const MIGRATION_LOCK = 0x6265727468;
/** The storage could not be opened or migrated at start: the server does not start. */
class StorageError extends errors/* BerthError */.e4 {
    name = 'StorageError';
}
/** Opens the configured storage and brings its schema up to date (one server at a time). */
async function openStorage(config, logger = log/* silentLogger */.q, options = {}) {
    // Named in the error, without its password: "file is not a database" alone does not say which file.
    const where = config.kind === 'sqlite' ? `sqlite:${config.path}` : (0,redact/* redactUrlPasswords */.BM)(config.url);
    const failed = (error) => new StorageError(`Cannot open the storage ${where} (storage.url): ${(0,errors/* describeError */.Uc)(error)}`, undefined, { cause: error });
    let storage;
    try {
        if (config.kind === 'sqlite')
            storage = new SqliteStorage(config.path);
        else {
            storage = new PostgresStorage(postgresPool(config.url, logger, options.queryTimeoutMs ?? QUERY_TIMEOUT_MS), config.url);
        }
    }
    catch (error) {
        throw failed(error);
    }
    try {
        await storage.exclusive(MIGRATION_LOCK, migrate);
    }
    catch (error) {
        await storage.close().catch(() => undefined); // the migration error is the one to report
        throw failed(error);
    }
    return storage;
}
//# sourceMappingURL=storage.js.map

/***/ })

};
