/** A local HTTP server standing in for a checked site: each path answers in its own way, and requests are counted. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpTarget {
  readonly url: string;
  /** Requests per path. */
  readonly hits: Map<string, number>;
  /** Bytes written per path (for bodies cut short by the client). */
  readonly sent: Map<string, number>;
  /** Replaces or adds a path's handler. */
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startHttpTarget(routes: Record<string, Handler> = {}): Promise<HttpTarget> {
  const handlers = new Map(Object.entries(routes));
  const hits = new Map<string, number>();
  const sent = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const write = res.write.bind(res);
    res.write = ((chunk: Buffer | string, ...rest: never[]) => {
      sent.set(path, (sent.get(path) ?? 0) + Buffer.byteLength(chunk));
      return write(chunk, ...rest);
    }) as typeof res.write;
    const handler = handlers.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    sent,
    route: (path, handler) => void handlers.set(path, handler),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Streams `bytes` of text in 64 KB chunks, with backpressure; stops when the client goes away. */
export function bigBody(bytes: number, marker = ''): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(65_536, 'x');
    let left = bytes;
    const pump = (): void => {
      while (left > 0) {
        const part = left === bytes && marker ? Buffer.concat([Buffer.from(marker), chunk]).subarray(0, 65_536) : chunk;
        left -= part.length;
        if (!res.write(part)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (left = 0));
    pump();
  };
}
