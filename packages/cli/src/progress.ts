import cliProgress from 'cli-progress';

/**
 * A progress bar on standard error (standard output stays for data), silent when stderr is not a terminal
 * unless MIXITE_PROGRESS=1: CI logs and pipes get one line per step instead of redrawn bars.
 */
export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private lastStep = '';
  private readonly interactive = process.stderr.isTTY === true || process.env.MIXITE_PROGRESS === '1';

  update(step: string, done: number, total: number): void {
    if (!this.interactive) {
      if (step !== this.lastStep) process.stderr.write(`${step}…\n`);
      this.lastStep = step;
      return;
    }
    if (!this.bar) {
      this.bar = new cliProgress.SingleBar(
        { format: ' {bar} {percentage} % | {etape}', barsize: 30, hideCursor: true, clearOnComplete: false, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(Math.max(total, 1), done, { etape: step });
    }
    this.bar.setTotal(Math.max(total, 1));
    this.bar.update(done, { etape: step });
    this.lastStep = step;
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
