/**
 * A local HTTP server standing in for Slack, Discord, Telegram or a webhook receiver: it records
 * every request's path, headers and JSON body, and answers each path from a script of statuses
 * (200 once the script runs out); 'hang' never answers; 'echo' answers 500 with the path it was posted to, as
 * a misconfigured proxy does.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../bed/system.js';

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** The status it was answered with; undefined for 'hang'. */
  readonly status: number | undefined;
  readonly at: number;
}

export type Answer = number | 'hang' | 'echo';

export interface ChatReceiver {
  readonly url: string;
  readonly received: Received[];
  /** Answers the next requests to `path` with these, in order. */
  script(path: string, ...answers: Answer[]): void;
  /** Requests to `path` (all when omitted) that were answered 2xx. */
  delivered(path?: string): Received[];
  /** Waits until `count` requests to `path` were answered 2xx. */
  waitDelivered(count: number, path?: string, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startChatReceiver(): Promise<ChatReceiver> {
  const scripts = new Map<string, Answer[]>();
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const answer = scripts.get(path)?.shift() ?? 200;
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      const status = answer === 'hang' ? undefined : answer === 'echo' ? 500 : answer;
      received.push({ path, headers: req.headers, body, status, at: Date.now() });
      if (answer === 'hang') return void hanging.push(res);
      if (answer === 'echo') return void res.writeHead(500).end(`Cannot POST ${req.url ?? ''}`);
      res.writeHead(answer, { 'content-type': 'application/json' });
      res.end(answer < 300 ? '{"ok":true}' : `{"ok":false,"description":"answer ${answer} from the fake"}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const delivered = (path?: string): Received[] =>
    received.filter((r) => (path === undefined || r.path === path) && r.status !== undefined && r.status < 300);
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script: (path, ...answers) => void scripts.set(path, [...(scripts.get(path) ?? []), ...answers]),
    delivered,
    waitDelivered: async (count, path, timeoutMs = 15_000) => {
      await waitFor(`${count} deliveries to ${path ?? 'the receiver'}`, () => delivered(path).length >= count, timeoutMs);
      return delivered(path);
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
