/**
 * Caddy's admin API as the server sees it (127.0.0.1:2019 there): each request goes through the
 * executor's TCP connection (an SSH forward), so nothing but SSH is exposed and nothing is installed.
 */
import { request } from 'node:http';
import { BerthError } from '../errors.js';
import type { Executor } from '../exec/executor.js';

export const CADDY_ADMIN = { host: '127.0.0.1', port: 2019 } as const;

/** How long one admin request may take: a config change returns once the new config runs. */
const REQUEST_TIMEOUT_MS = 30_000;
/** The most of an answer berth reads (a config, the upstreams list). */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export interface AdminAnswer {
  readonly status: number;
  readonly body: string;
  /** Caddy's hash of the config at the path (ETag), for a write that must not overwrite another's. */
  readonly etag: string | undefined;
}

export class CaddyAdmin {
  constructor(
    private readonly executor: Executor,
    private readonly signal?: AbortSignal,
  ) {}

  /** GETs a path and parses its JSON. */
  async read(path: string): Promise<{ value: unknown; etag: string | undefined }> {
    const answer = await this.checked('GET', path);
    return { value: answer.body ? (JSON.parse(answer.body) as unknown) : null, etag: answer.etag };
  }

  /** POSTs JSON to a path: sets or replaces it. `ifMatch` makes it fail with status 412 when the config changed since. */
  async write(path: string, value: unknown, ifMatch?: string): Promise<AdminAnswer> {
    return this.send('POST', path, JSON.stringify(value), ifMatch);
  }

  async checked(method: string, path: string, body?: string): Promise<AdminAnswer> {
    const answer = await this.send(method, path, body);
    if (answer.status >= 300) throw this.failure(method, path, answer);
    return answer;
  }

  failure(method: string, path: string, answer: AdminAnswer): BerthError {
    const reason = (() => {
      try {
        return (JSON.parse(answer.body) as { error?: string }).error ?? answer.body;
      } catch {
        return answer.body;
      }
    })();
    return new BerthError(
      `The proxy's admin API on ${this.executor.where} answered ${method} ${path} with ${answer.status}: ${reason.trim().slice(0, 500)}`,
      `See \`docker logs berth-proxy\` on the server.`,
    );
  }

  send(method: string, path: string, body?: string, ifMatch?: string): Promise<AdminAnswer> {
    const where = `${CADDY_ADMIN.host}:${CADDY_ADMIN.port}`;
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void =>
        reject(
          new BerthError(`The proxy's admin API (${where} on ${this.executor.where}) did not answer ${method} ${path}: ${error.message}`),
        );
      this.executor.openTcp(CADDY_ADMIN.host, CADDY_ADMIN.port).then((socket) => {
        const headers: Record<string, string> = { host: where };
        if (body !== undefined) headers['content-type'] = 'application/json';
        if (ifMatch) headers['if-match'] = ifMatch;
        const req = request(
          { method, path, headers, createConnection: () => socket as never, timeout: REQUEST_TIMEOUT_MS, signal: this.signal },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`its answer is over ${MAX_ANSWER_BYTES} bytes`));
              else chunks.push(chunk);
            });
            res.on('end', () => {
              socket.destroy();
              const etag = res.headers.etag ?? (res.trailers.etag as string | undefined);
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), etag });
            });
            res.on('error', fail);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000}s`)));
        req.on('error', (error) => {
          socket.destroy();
          fail(error);
        });
        req.end(body);
      }, fail);
    });
  }
}
