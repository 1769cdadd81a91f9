export interface FaultSpec {
  operationId?: string;
  pathPrefix?: string;
  method?: string;
  status?: 429 | 500 | 502 | 503 | number;
  body?: unknown;
  delayMs?: number;
  drop?: boolean;
  count?: number;
  untilMs?: number;
}

export interface ActiveFault extends FaultSpec {
  id: number;
  remaining?: number;
  expiresAt?: number;
  hits: number;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private seq = 0;

  add(spec: FaultSpec, now = Date.now()): ActiveFault {
    const f: ActiveFault = {
      ...spec,
      id: ++this.seq,
      remaining: spec.count,
      expiresAt: spec.untilMs !== undefined ? now + spec.untilMs : undefined,
      hits: 0,
    };
    this.faults.push(f);
    return f;
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    const now = Date.now();
    this.faults = this.faults.filter(
      (f) => (f.expiresAt === undefined || f.expiresAt > now) && (f.remaining === undefined || f.remaining > 0),
    );
    return this.faults;
  }

  /** Finds and consumes the first matching fault. */
  take(req: { method: string; path: string; operationId?: string }): ActiveFault | undefined {
    for (const f of this.list()) {
      if (f.operationId && f.operationId !== req.operationId) continue;
      if (f.pathPrefix && !req.path.startsWith(f.pathPrefix)) continue;
      if (f.method && f.method.toUpperCase() !== req.method.toUpperCase()) continue;
      if (f.remaining !== undefined) f.remaining--;
      f.hits++;
      return f;
    }
    return undefined;
  }
}
