/** What alerts say and how each channel formats it: exact bodies, escaping, limits, keys and retry times. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Alert, alertKey } from '../../server/alerts/alert.js';
import { DEFAULT_DISPATCH, retryAt } from '../../server/alerts/alert-dispatcher.js';
import { alertMessage, formatDuration, keepEnd, plainText } from '../../server/alerts/alert-message.js';
import { createChannels } from '../../server/alerts/channels/alert-channel.js';
import { retryAfterMs } from '../../server/alerts/channels/post-alert.js';
import { discordBody } from '../../server/alerts/channels/discord.js';
import { webhookBody } from '../../server/alerts/channels/json-webhook.js';
import { slackBody } from '../../server/alerts/channels/slack.js';
import { telegramBody, telegramHtml } from '../../server/alerts/channels/telegram.js';

const down: Alert = {
  id: 'a1',
  key: 'check_down:containers:2026-11-27T03:00:00.000Z',
  event: {
    kind: 'check_down',
    check: 'containers',
    checkType: 'compose',
    since: '2026-11-27T03:00:00.000Z',
    error: 'web is exited (code 1) <&>',
    details: { failingServices: ['web'], logTail: 'boot\nError: <db> & "cache" down' },
    at: '2026-11-27T03:01:00.000Z',
  },
  context: { host: 'vps-1', liveCommit: '0123456789abcdef0123', logTail: { service: 'web', lines: 'boot\nError: <db> & "cache" down' } },
  createdAt: '2026-11-27T03:01:00.100Z',
};

const recovered: Alert = {
  id: 'a2',
  key: 'check_recovered:web:2026-11-27T03:00:00.000Z',
  event: {
    kind: 'check_recovered',
    check: 'web',
    checkType: 'http',
    since: '2026-11-27T03:00:00.000Z',
    downForMs: 3_723_000,
    at: '2026-11-27T04:02:03.000Z',
  },
  context: { host: 'vps-1' },
  createdAt: '2026-11-27T04:02:03.000Z',
};

const workflow: Alert = {
  id: 'a3',
  key: 'workflow_failed:acme/shop:7:2',
  event: {
    kind: 'workflow_failed',
    repository: 'acme/shop',
    workflow: 'deploy',
    runId: 7,
    runNumber: 41,
    attempt: 2,
    branch: 'main',
    sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
    conclusion: 'failure',
    url: 'https://github.com/acme/shop/actions/runs/7',
    actor: 'octocat',
    trigger: 'push',
    at: '2026-11-27T05:00:00Z',
  },
  context: { host: 'vps-1' },
  createdAt: '2026-11-27T05:00:01.000Z',
};

describe('alert messages', () => {
  it('say what, where, since when, the error, the log lines and the live commit', () => {
    assert.equal(
      plainText(alertMessage(down)),
      [
        'Check containers is down',
        'Check: containers (compose)',
        'Where: vps-1',
        'Down since: 2026-11-27 03:00:00 UTC',
        'Live commit: 0123456789ab',
        'Error: web is exited (code 1) <&>',
        'Last log lines of web:',
        'boot\nError: <db> & "cache" down',
      ].join('\n'),
    );
  });

  it('give a recovery its downtime and a reminder how long it has been down', () => {
    const message = alertMessage(recovered);
    assert.equal(message.severity, 'resolved');
    assert.deepEqual(message.facts[2], { label: 'Down for', value: '1 h 2 min (since 2026-11-27 03:00:00 UTC)' });
    const reminder = alertMessage({ ...down, context: { ...down.context, reminder: 2 }, createdAt: '2026-11-27T05:00:00.000Z' });
    assert.equal(reminder.title, 'Check containers is still down after 2 h');
  });

  it('name the workflow, branch, commit and link of a failed run', () => {
    const message = alertMessage(workflow);
    assert.equal(message.title, 'Workflow deploy failed on main');
    assert.deepEqual(
      message.facts.map((f) => `${f.label}=${f.value}`),
      [
        'Repository=acme/shop',
        'Workflow=deploy #41 (attempt 2)',
        'Branch=main',
        'Commit=f95f852bd8fc',
        'Conclusion=failure',
        'Triggered by=push (octocat)',
      ],
    );
    assert.deepEqual(message.link, { label: 'Open the run', url: 'https://github.com/acme/shop/actions/runs/7' });
  });

  it('link only to http(s), in a form that cannot close a Slack or Discord link and add markup', () => {
    const hostile = (url: string): Alert => ({ ...workflow, event: { ...workflow.event, url } as Alert['event'] });
    assert.equal(alertMessage(hostile('javascript:alert(1)')).link, undefined);
    assert.equal(alertMessage(hostile('not a url')).link, undefined);
    const alert = hostile('https://ci.example.com/run?a=1&b=x> <!channel>|Verify your account now) @everyone');
    assert.equal(
      alertMessage(alert).link?.url,
      'https://ci.example.com/run?a=1&b=x%3E%20%3C!channel%3E|Verify%20your%20account%20now)%20@everyone',
    );
    const slack = JSON.stringify(slackBody(alertMessage(alert)));
    assert.ok(
      slack.includes(
        '<https://ci.example.com/run?a=1&amp;b=x%3E%20%3C!channel%3E%7CVerify%20your%20account%20now)%20@everyone|Open the run>',
      ),
      slack,
    );
    const discord = JSON.stringify(discordBody(alertMessage(alert), alert));
    assert.ok(
      discord.includes('(https://ci.example.com/run?a=1&b=x%3E%20%3C!channel%3E|Verify%20your%20account%20now%29%20@everyone)'),
      discord,
    );
  });

  it('formats durations and keeps the newest log lines when cutting', () => {
    assert.deepEqual([45_000, 90_000, 3_600_000, 3_723_000, 90_000_000, 180_000_000].map(formatDuration), [
      '45 s',
      '1 min',
      '1 h',
      '1 h 2 min',
      '25 h',
      '2 d 2 h',
    ]);
    assert.equal(keepEnd('line one\nline two\nline three', 14), '…\nline three');
    assert.equal(keepEnd('short', 14), 'short');
  });
});

describe('channel formats', () => {
  it('Slack: blocks with mrkdwn, every value escaped, code blocks for the error and logs', () => {
    assert.deepEqual(slackBody(alertMessage(down)), {
      text: ':red_circle: Check containers is down',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Check containers is down', emoji: true } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Check*\ncontainers (compose)' },
            { type: 'mrkdwn', text: '*Where*\nvps-1' },
            { type: 'mrkdwn', text: '*Down since*\n2026-11-27 03:00:00 UTC' },
            { type: 'mrkdwn', text: '*Live commit*\n0123456789ab' },
          ],
        },
        { type: 'section', text: { type: 'mrkdwn', text: '*Error*\n```web is exited (code 1) &lt;&amp;&gt;```' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Last log lines of web*\n```boot\nError: &lt;db&gt; &amp; "cache" down```' },
        },
      ],
    });
  });

  it('Discord: one embed coloured by severity, mentions off, markdown escaped', () => {
    const body = discordBody(alertMessage({ ...recovered, context: { host: 'vps_1' } }), recovered) as { embeds: unknown[] };
    assert.deepEqual(body, {
      username: 'berth',
      allowed_mentions: { parse: [] },
      embeds: [
        {
          title: 'Check web is up again',
          color: 0x1a7f37,
          fields: [
            { name: 'Check', value: 'web \\(http\\)', inline: true },
            { name: 'Where', value: 'vps\\_1', inline: true },
            { name: 'Down for', value: '1 h 2 min \\(since 2026\\-11\\-27 03:00:00 UTC\\)', inline: true },
          ],
          timestamp: '2026-11-27T04:02:03.000Z',
          footer: { text: 'berth on vps-1' },
        },
      ],
    });
    const failed = discordBody(alertMessage(workflow), workflow) as { embeds: Array<{ url: string; description: string }> };
    assert.equal(failed.embeds[0]?.url, 'https://github.com/acme/shop/actions/runs/7');
    assert.equal(failed.embeds[0]?.description, '[Open the run](https://github.com/acme/shop/actions/runs/7)');
  });

  it('Telegram: HTML with every value escaped, sent with parse_mode HTML', () => {
    assert.equal(
      telegramHtml(alertMessage(down)),
      [
        '🔴 <b>Check containers is down</b>',
        '<b>Check:</b> containers (compose)',
        '<b>Where:</b> vps-1',
        '<b>Down since:</b> 2026-11-27 03:00:00 UTC',
        '<b>Live commit:</b> 0123456789ab',
        '<b>Error:</b>',
        '<pre>web is exited (code 1) &lt;&amp;&gt;</pre>',
        '<b>Last log lines of web:</b>',
        '<pre>boot\nError: &lt;db&gt; &amp; &quot;cache&quot; down</pre>',
      ].join('\n'),
    );
    assert.deepEqual(Object.keys(telegramBody(alertMessage(down), '-100123') as object), [
      'chat_id',
      'text',
      'parse_mode',
      'link_preview_options',
    ]);
  });

  it('the JSON webhook: version 1, the event as raised, the text and the context', () => {
    const body = webhookBody(alertMessage(down), down);
    assert.deepEqual(
      { ...body, text: undefined },
      {
        version: 1,
        id: 'a1',
        severity: 'critical',
        title: 'Check containers is down',
        text: undefined,
        host: 'vps-1',
        created_at: '2026-11-27T03:01:00.100Z',
        event: down.event,
        live_commit: '0123456789abcdef0123',
        log_tail: { service: 'web', lines: 'boot\nError: <db> & "cache" down' },
        reminder: 0,
      },
    );
    assert.equal(body.text, plainText(alertMessage(down)));
  });

  it('long logs stay within each service’s limits, keeping the newest lines', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const big: Alert = { ...down, context: { ...down.context, logTail: { service: 'web', lines } } };
    const slack = JSON.stringify(slackBody(alertMessage(big)));
    assert.ok(slack.includes('line 1999') && !slack.includes('line 10\\n'));
    const html = telegramHtml(alertMessage(big));
    assert.ok(html.length < 4096 && html.includes('line 1999'));
    const discord = discordBody(alertMessage(big), big) as { embeds: Array<{ description: string }> };
    assert.ok((discord.embeds[0]?.description.length ?? 0) <= 4096);
  });

  it('channels get stable ids from where they post, labels by position, and targets without secrets', () => {
    const channels = createChannels([
      { type: 'slack', url: 'https://hooks.slack.com/services/T0/B0/secret' },
      { type: 'telegram', token: '123:abc', chatId: '-100123', apiUrl: 'http://127.0.0.1:9' },
      { type: 'slack', url: 'https://hooks.slack.com/services/T0/B1/other' },
    ]);
    assert.deepEqual(
      channels.map((c) => [c.label, c.target]),
      [
        ['slack #1', 'hooks.slack.com'],
        ['telegram #1', '127.0.0.1:9 chat -100123'],
        ['slack #2', 'hooks.slack.com'],
      ],
    );
    assert.match(channels[0]?.id ?? '', /^slack-[0-9a-f]{8}$/);
    assert.equal(createChannels([{ type: 'slack', url: 'https://hooks.slack.com/services/T0/B1/other' }])[0]?.id, channels[2]?.id);
    assert.equal(channels[1]?.request(down).url, 'http://127.0.0.1:9/bot123:abc/sendMessage');
  });
});

describe('alert keys and retries', () => {
  it('one key per state change; a reminder has its own', () => {
    assert.equal(alertKey(down.event), 'check_down:containers:2026-11-27T03:00:00.000Z');
    assert.equal(alertKey(down.event, 3), 'check_down:containers:2026-11-27T03:00:00.000Z:reminder:3');
    assert.equal(alertKey(recovered.event), 'check_recovered:web:2026-11-27T03:00:00.000Z');
    const stale = { kind: 'backup_stale', backup: 'app', lastGoodAt: '2026-11-20T06:00:00Z', expectedSince: 'x', at: 'y' } as const;
    assert.equal(alertKey(stale), alertKey({ ...stale, expectedSince: 'later', at: 'later' }), 'unchanged staleness is one alert');
  });

  it('3 tries over ~30 s by default; a Retry-After longer than the backoff wins', () => {
    const now = new Date('2026-11-27T00:00:00Z');
    assert.equal(retryAt(1, DEFAULT_DISPATCH, now)?.toISOString(), '2026-11-27T00:00:05.000Z');
    assert.equal(retryAt(2, DEFAULT_DISPATCH, now)?.toISOString(), '2026-11-27T00:00:25.000Z');
    assert.equal(retryAt(3, DEFAULT_DISPATCH, now), undefined);
    assert.equal(retryAt(1, DEFAULT_DISPATCH, now, 60_000)?.toISOString(), '2026-11-27T00:01:00.000Z');
    assert.equal(retryAt(1, DEFAULT_DISPATCH, now, 99_999_000)?.toISOString(), '2026-11-27T00:05:00.000Z', 'at most 5 minutes');
  });

  it("reads a 429's Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse('2026-11-27T00:00:00Z');
    assert.equal(retryAfterMs('120', now), 120_000);
    assert.equal(retryAfterMs('1.5', now), 1_500);
    assert.equal(retryAfterMs('Fri, 27 Nov 2026 00:02:00 GMT', now), 120_000);
    assert.equal(retryAfterMs('Thu, 26 Nov 2026 23:00:00 GMT', now), 0, 'a date gone by: now');
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs('-5', now), undefined);
    assert.equal(retryAfterMs(null, now), undefined);
  });
});
