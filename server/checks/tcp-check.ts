/** `type: tcp`: the port accepts a connection within the timeout. */
import { connect } from 'node:net';
import type { TcpCheckConfig } from '../config/server-config.js';
import { type CheckOutcome, failed, passed, type Probe } from './check-outcome.js';

export const tcpProbe: Probe<TcpCheckConfig> = (config, signal) =>
  new Promise<CheckOutcome>((resolve) => {
    const where = `${config.host}:${config.port}`;
    const socket = connect({ host: config.host, port: config.port });
    const finish = (outcome: CheckOutcome): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => finish(failed(`${where}: no connection within ${config.timeoutMs / 1000} s`));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish(passed));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(failed(`${where}: ${error.code ?? error.message}`)));
  });
