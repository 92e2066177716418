import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Watches a cloud assembly directory for a new synth: `cdk synth` writes `manifest.json` last, so a
 * change of its modification time (polled, which works on every file system) means a complete
 * assembly. Changes that arrive while one is being handled are coalesced into one more call.
 */
export class AssemblyWatcher {
  private readonly manifest: string;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  /**
   * @param directory the assembly directory (`cdk.out`)
   * @param onChange called once per new synth, never twice at a time
   * @param intervalMs how often to look @default 250
   * @param settleMs how long the manifest must stay unchanged before `onChange` @default 200
   */
  constructor(directory: string, private readonly onChange: () => Promise<void>, private readonly intervalMs = 250,
    private readonly settleMs = 200) {
    this.manifest = path.join(directory, 'manifest.json');
    fs.watchFile(this.manifest, { interval: this.intervalMs, persistent: false }, (now, before) => {
      if (now.mtimeMs === before.mtimeMs || now.mtimeMs === 0) return;
      // a synth in progress may write the manifest more than once: wait for it to settle
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.changed(), this.settleMs);
    });
  }

  /** Resolves when the change being handled (and any coalesced one) is done. */
  public async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  public stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    fs.unwatchFile(this.manifest);
  }

  private changed(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.onChange();
      } while (this.again && !this.stopped);
    })().finally(() => { this.running = undefined; });
  }
}
