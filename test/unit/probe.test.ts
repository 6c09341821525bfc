/** The benchmarks' and tests' 20 Hz probe: what counts as failed, and the one retry a browser would make. */
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { startProbe } from '../../bench/probe.js';

/** An HTTP/1.1 server on raw sockets: `answer(n)` for the n-th request on a connection (1-based), or null to close it unanswered. */
async function rawServer(answer: (nth: number) => string | null): Promise<{ url: string; server: Server }> {
  const server = createServer((socket: Socket) => {
    let nth = 0;
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString();
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        const reply = answer(++nth);
        if (reply === null) {
          socket.destroy();
          return;
        }
        socket.write(reply);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}/`, server };
}

const ok = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok';

describe('the probe', () => {
  it('sends a request again, once, when the kept-alive connection it reused closes unanswered: retried, not failed', async () => {
    const { url, server } = await rawServer((nth) => (nth === 1 ? ok : null));
    try {
      const probe = startProbe(url, 20);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const counts = await probe.stop();
      assert.equal(counts.failed, 0, counts.failures.join('; '));
      assert.ok(counts.retried >= 2, `retried ${counts.retried} of ${counts.sent}`);
    } finally {
      server.close();
    }
  });

  it('counts a 5xx, and a fresh connection closed unanswered, as failed', async () => {
    const failing = await rawServer(() => 'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n');
    const closing = await rawServer(() => null);
    try {
      const [five, closed] = [startProbe(failing.url, 20), startProbe(closing.url, 20)];
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [a, b] = [await five.stop(), await closed.stop()];
      assert.ok(a.failed === a.sent && a.sent > 0 && a.retried === 0, JSON.stringify(a));
      assert.match(a.failures[0] ?? '', /answered 502/);
      assert.ok(b.failed === b.sent && b.sent > 0 && b.retried === 0, JSON.stringify(b));
    } finally {
      failing.server.close();
      closing.server.close();
    }
  });
});
