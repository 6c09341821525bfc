/** The status page (Hono JSX, rendered on the server): checks with their history, backups, recent deploys. No scripts. */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { CheckOverview } from '../checks/check-service.js';
import { age, size, stamp, webLink } from './format.js';
import type { BackupStatus, DeployView, StatusSnapshot } from './status-data.js';
import { HISTORY_CELLS } from './status-data.js';
import { STATUS_CSS } from './status-style.js';

/** The page reloads itself (a meta refresh; no script) this often. */
export const REFRESH_SECONDS = 30;

export function Layout(props: { title: string; children: Child; refresh?: boolean }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {props.refresh ? <meta http-equiv="refresh" content={String(REFRESH_SECONDS)} /> : null}
        <meta name="color-scheme" content="light dark" />
        <link rel="icon" href="data:," />
        <title>{props.title}</title>
        {/* Raw: JSX would HTML-escape the quotes of font names, and <style> does not decode entities. */}
        <style>{raw(STATUS_CSS)}</style>
      </head>
      <body>{props.children}</body>
    </html>
  );
}

function CheckCard({ check, now }: { check: CheckOverview; now: Date }) {
  const oldestFirst = [...check.history].reverse();
  const blanks = Math.max(0, HISTORY_CELLS - oldestFirst.length);
  const last = check.lastResult;
  const stateText = check.health === 'unknown' ? 'No result yet' : `${check.health === 'up' ? 'Up' : 'Down'} for ${age(check.since, now)}`;
  return (
    <article class="card" data-check={check.name} data-health={check.health}>
      <div class="row">
        <div class="name">
          <span class={`dot ${check.health}`} />
          <span>{check.name}</span>
          <span class="badge">{check.type}</span>
        </div>
        <span class={`state ${check.health}`}>{stateText}</span>
      </div>
      <div class="target" title={check.target}>
        {check.target}
      </div>
      <div class="history" aria-label={`last ${check.history.length} results, oldest first`}>
        {Array.from({ length: blanks }, () => (
          <span />
        ))}
        {oldestFirst.map((r) => (
          <span class={r.ok ? 'ok' : 'fail'} title={`${stamp(r.at)}: ${r.ok ? 'ok' : r.error} (${r.latencyMs} ms)`} />
        ))}
      </div>
      <div class="meta">
        <span>{check.schedule}</span>
        <span>{last ? `last run ${age(last.at, now)} ago · ${last.latencyMs} ms` : 'never run'}</span>
      </div>
      {last && !last.ok ? (
        <div class="error">
          {last.error}
          {last.details?.logTail ? <pre>{last.details.logTail}</pre> : null}
        </div>
      ) : null}
    </article>
  );
}

function BackupCard({ backup, now }: { backup: BackupStatus; now: Date }) {
  const status = backup.freshness.status;
  const tone = status === 'fresh' ? 'up' : status === 'stale' ? 'down' : 'unknown';
  return (
    <article class="card" data-backup={backup.name}>
      <div class="row">
        <div class="name">
          <span class={`dot ${tone}`} />
          <span>{backup.name}</span>
        </div>
        <span class={`pill ${tone}`}>{backup.running ? 'running' : status}</span>
      </div>
      <dl>
        <dt>Last good</dt>
        <dd>{backup.lastGood ? `${age(backup.lastGood.startedAt, now)} ago` : 'never'}</dd>
        <dt>Size</dt>
        <dd>{size(backup.lastGood?.sizeBytes)}</dd>
        <dt>Last run</dt>
        <dd>{backup.lastRun ? `${backup.lastRun.status}, ${age(backup.lastRun.startedAt, now)} ago` : '—'}</dd>
        <dt>Schedule</dt>
        <dd>{backup.schedule}</dd>
      </dl>
      {backup.lastRun?.status === 'failed' ? <div class="error">{backup.lastRun.error}</div> : null}
    </article>
  );
}

function Deploys({ deploys, now }: { deploys: readonly DeployView[] | undefined; now: Date }) {
  if (!deploys || deploys.length === 0) return <p class="empty">No deploys recorded.</p>;
  return (
    <div>
      {deploys.map((d) => {
        const tone = d.state === 'success' ? 'up' : d.state === 'failure' || d.state === 'error' ? 'down' : 'unknown';
        return (
          <article class="card row" data-deploy={d.environment}>
            <div class="name">
              <span class={`dot ${tone}`} />
              <span>{d.environment}</span>
              {d.sha ? <span class="badge">{d.sha.slice(0, 7)}</span> : null}
              {d.ref ? <span class="state">{d.ref}</span> : null}
            </div>
            <span class="state">
              {webLink(d.url) ? <a href={webLink(d.url)}>{d.state}</a> : d.state} · {age(d.at, now)} ago
            </span>
          </article>
        );
      })}
    </div>
  );
}

function Summary({ checks }: { checks: readonly CheckOverview[] }) {
  const down = checks.filter((c) => c.health === 'down').length;
  if (checks.length === 0) return <span class="pill unknown">No checks configured</span>;
  if (down > 0) return <span class="pill down">{down === 1 ? '1 check down' : `${down} checks down`}</span>;
  if (checks.every((c) => c.health === 'up')) return <span class="pill up">All checks up</span>;
  return <span class="pill unknown">Waiting for results</span>;
}

export function StatusPage({ snapshot, host, canLogOut }: { snapshot: StatusSnapshot; host: string; canLogOut: boolean }) {
  const now = snapshot.at;
  return (
    <Layout title={`berth · ${host}`} refresh>
      <main>
        <header>
          <h1>
            berth <small>· {host}</small>
          </h1>
          <Summary checks={snapshot.checks} />
        </header>
        {snapshot.storageProblem ? (
          <div class="error" role="alert">
            The storage cannot be read ({snapshot.storageProblem}): checks go on and show the state this server knows, without their
            history; backups and deploys are not shown until it answers again.
          </div>
        ) : null}
        <h2>Checks</h2>
        {snapshot.checks.length === 0 ? <p class="empty">No checks in berth.yml.</p> : null}
        {snapshot.checks.map((check) => (
          <CheckCard check={check} now={now} />
        ))}
        <h2>Backups</h2>
        {snapshot.backups.length === 0 && !snapshot.storageProblem ? <p class="empty">No backups in berth.yml.</p> : null}
        <div class="grid">
          {snapshot.backups.map((backup) => (
            <BackupCard backup={backup} now={now} />
          ))}
        </div>
        <h2>Recent deploys</h2>
        {snapshot.storageProblem ? null : <Deploys deploys={snapshot.deploys} now={now} />}
        <footer>
          <span>
            Updated {stamp(now.toISOString())} · refreshes every {REFRESH_SECONDS} s
          </span>
          {canLogOut ? (
            <form method="post" action="/logout">
              <button type="submit">Log out</button>
            </form>
          ) : null}
        </footer>
      </main>
    </Layout>
  );
}

export function LoginPage({ host, failed }: { host: string; failed: boolean }) {
  return (
    <Layout title={`berth · ${host} · log in`}>
      <main class="login">
        <form method="post" action="/login" class="card">
          <h1>
            berth <small>· {host}</small>
          </h1>
          <p class="state">This status page is private. Enter the server's API token.</p>
          {failed ? <div class="error">That is not the API token.</div> : null}
          <label for="token">API token</label>
          <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
          <button type="submit">Log in</button>
        </form>
      </main>
    </Layout>
  );
}
