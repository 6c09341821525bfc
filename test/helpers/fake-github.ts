/** A local stand-in for the GitHub REST API's deployment endpoints; records every request. */
import { createServer, type Server } from 'node:http';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly authorization: string | undefined;
}

export interface FakeGithub {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeGithub(): Promise<FakeGithub> {
  const requests: RecordedRequest[] = [];
  let nextId = 1;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      requests.push({ method: req.method ?? '', path: req.url ?? '', body, authorization: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && /^\/repos\/[^/]+\/[^/]+\/deployments$/.test(req.url ?? '')) {
        res.writeHead(201).end(JSON.stringify({ id: nextId++, ...body }));
      } else if (req.method === 'POST' && /\/deployments\/\d+\/statuses$/.test(req.url ?? '')) {
        res.writeHead(201).end(JSON.stringify({ id: nextId++, ...body }));
      } else {
        res.writeHead(404).end(JSON.stringify({ message: 'Not Found' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
