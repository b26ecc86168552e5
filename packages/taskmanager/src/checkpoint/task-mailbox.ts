/**
 * The task's mailbox (Flink's MailboxProcessor, reduced to what Eddy needs): actions from outside the
 * task loop — checkpoint triggers, completion and abort notices — wait here until the loop reaches a
 * batch boundary and runs them there, in arrival order, one at a time. So a mail never runs in the
 * middle of a batch, never concurrently with another mail, and sees the operators and the state
 * backend at rest. A mail may await (a snapshot's synchronous part does); the loop awaits it before
 * the next batch. Single-threaded: the task thread only.
 */
export type Mail = () => void | Promise<void>;

export class TaskMailbox {
  private readonly mails: Mail[] = [];
  private running = false;

  /** `onMail`: wakes the task loop if it is waiting, so it reaches a boundary soon. */
  constructor(private readonly onMail: () => void) {}

  /** Checked once per batch: a property read, nothing per record. */
  get hasMail(): boolean {
    return this.mails.length > 0 && !this.running;
  }

  put(mail: Mail): void {
    this.mails.push(mail);
    this.onMail();
  }

  /**
   * Runs every mail, also those put while running; a throwing mail stops the run and fails the task
   * (the rest stay queued, and the task ends anyway). Re-entrant calls (from a mail's own awaits)
   * return at once, so mails never overlap.
   */
  async runAll(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let m = this.mails.shift(); m !== undefined; m = this.mails.shift()) await m();
    } finally {
      this.running = false;
    }
  }
}
