// Group commit for the hot paths' one-statement writes (webhook deliveries, tracked-link clicks):
// items submitted while the previous statements are still running are written together in the
// next one, so under load one round trip, one statement and one commit serve many requests, and
// when the database is idle an item is written at once (no timer, no added latency).
// Every caller still waits for its own item's statement to commit before it answers.
// The classic technique (PostgreSQL's own commit_delay; Gray & Reuter's "group commit"); why not a
// library: docs/decisions/011-group-commit.md.

/** How a batch is written. */
export interface GroupCommitOptions<I, O> {
  /**
   * Writes `items` in one statement and returns one outcome per item, in the same order. A throw
   * (or a wrong number of outcomes) fails the batch: each of its items is then written alone, so one
   * bad item fails only its own caller.
   */
  write: (items: I[]) => Promise<O[]>;
  /** Statements running at once (keep it at or under the connection pool's size). */
  maxInFlight: number;
  /** Items per statement at most (bounds a statement's size and its parameters' bytes). */
  maxBatch: number;
}

export interface GroupCommit<I, O> {
  /** Resolves with the item's outcome once the statement that wrote it returned; rejects with its error. */
  submit(item: I): Promise<O>;
  /** Items waiting for a statement (not counting those being written). */
  readonly waiting: number;
}

type Entry<I, O> = { item: I; resolve: (o: O) => void; reject: (err: unknown) => void };

/** A group committer over `write`; see GroupCommitOptions. */
export function groupCommit<I, O>(opts: GroupCommitOptions<I, O>): GroupCommit<I, O> {
  if (opts.maxInFlight < 1 || opts.maxBatch < 1) throw new RangeError("maxInFlight and maxBatch must be ≥ 1");
  const queue: Entry<I, O>[] = [];
  let inFlight = 0;

  const writeAlone = async (e: Entry<I, O>) => {
    try {
      const [out] = await opts.write([e.item]);
      if (out === undefined) throw new Error("group commit: write returned no outcome for its item");
      e.resolve(out);
    } catch (err) {
      e.reject(err);
    }
  };

  const run = async (batch: Entry<I, O>[]) => {
    if (batch.length === 1) return writeAlone(batch[0]!);
    let outs: O[];
    try {
      outs = await opts.write(batch.map((e) => e.item));
      if (outs.length !== batch.length) throw new Error(`group commit: ${outs.length} outcomes for ${batch.length} items`);
    } catch {
      // Nothing of a failed statement was committed: write each item alone so only a bad one fails.
      await Promise.all(batch.map(writeAlone));
      return;
    }
    batch.forEach((e, i) => e.resolve(outs[i]!));
  };

  const pump = () => {
    while (inFlight < opts.maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, opts.maxBatch);
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return {
    submit(item: I) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
    get waiting() {
      return queue.length;
    },
  };
}
