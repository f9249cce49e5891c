/** A progress line on stderr, for people watching a terminal; never written to pipes or files. */
import type { Writable } from 'node:stream';

export class Progress {
  private last = 0;
  private readonly started = Date.now();

  constructor(
    private readonly out: Writable,
    private readonly totalBytes?: number,
  ) {}

  update(bytes: number, lines: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const rate = Math.round(lines / Math.max(0.001, (now - this.started) / 1000));
    const count = `${lines.toLocaleString('en')} lines, ${rate.toLocaleString('en')}/s`;
    if (this.totalBytes) {
      const share = Math.min(1, bytes / this.totalBytes);
      const width = 30;
      const done = Math.round(share * width);
      this.out.write(`\r[${'='.repeat(done)}${' '.repeat(width - done)}] ${(share * 100).toFixed(0).padStart(3)}% ${count}`);
    } else {
      this.out.write(`\r${count}`);
    }
  }

  done(): void {
    this.out.write('\r\x1b[K');
  }
}
