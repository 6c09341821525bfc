/**
 * One host's share of the log of a run on several hosts: every line starts with the host, and each
 * phase of its work (prepare, switch, roll back) is one group of its own. Log groups cannot
 * interleave, so while several hosts work at once a host's lines are held and shown as its group when
 * its phase ends; meanwhile only the start and end of its steps appear, as they happen.
 */
import type { Reporter } from '../engine/reporter.js';
import type { Logger } from '../log.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
interface Entry {
  readonly level: Level | 'output';
  readonly text: string;
}

export class HostLog {
  /** What the host's engine work writes to: the same reporter interface, its lines prefixed. */
  readonly reporter: Reporter;
  private readonly prefix: string;
  /** The lines of a phase that runs beside other hosts', shown when it ends. */
  private held: Entry[] | undefined;
  /** Output after its last line break. */
  private partial = '';

  constructor(
    readonly label: string,
    private readonly base: Reporter,
    private readonly clock: () => number = Date.now,
  ) {
    this.prefix = `[${label}] `;
    const line =
      (level: Level) =>
      (message: string): void =>
        this.emit({ level, text: message });
    const logger: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
    this.reporter = { logger, group: (title, fn) => this.step(title, fn), output: (chunk) => this.output(chunk) };
  }

  /** Runs one phase of the host's work, alone, as the group `label: title`, its lines shown as they come. */
  live<T>(title: string, fn: () => Promise<T>): Promise<T> {
    return this.base.group(this.heading(title), async () => {
      try {
        return await fn();
      } finally {
        this.endPartial();
      }
    });
  }

  /** Holds the host's lines from now on, for a phase other hosts work through at the same time. */
  hold(): void {
    this.held ??= [];
  }

  /** Shows the lines held since `hold` as the group `label: title`, and stops holding. */
  async show(title: string): Promise<void> {
    this.endPartial();
    const held = this.held ?? [];
    this.held = undefined;
    await this.base.group(this.heading(title), async () => {
      for (const entry of held) this.write(entry);
    });
  }

  private heading(title: string): string {
    return `${this.label}: ${title}`;
  }

  /** A step inside a phase: a line where it starts and one where it ends, shown live even while held. */
  private async step<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.mark(`▸ ${title}`);
    const started = this.clock();
    const took = (): string => `${((this.clock() - started) / 1000).toFixed(1)}s`;
    try {
      const value = await fn();
      this.mark(`✓ ${title} (${took()})`);
      return value;
    } catch (error) {
      this.mark(`✗ ${title} (${took()})`);
      throw error;
    }
  }

  private mark(text: string): void {
    this.endPartial();
    const entry: Entry = { level: 'info', text };
    this.emit(entry);
    if (this.held) this.write(entry);
  }

  private output(chunk: Buffer): void {
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.emit({ level: 'output', text: line.replace(/\r$/, '') });
  }

  private endPartial(): void {
    if (this.partial) this.emit({ level: 'output', text: this.partial });
    this.partial = '';
  }

  private emit(entry: Entry): void {
    if (this.held) this.held.push(entry);
    else this.write(entry);
  }

  private write({ level, text }: Entry): void {
    const line = text
      .split('\n')
      .map((part) => `${this.prefix}${part}`)
      .join('\n');
    if (level === 'output') this.base.output(Buffer.from(`${line}\n`));
    else this.base.logger[level](line);
  }
}
