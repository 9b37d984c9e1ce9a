import { createHash } from 'node:crypto';
import type { AgentEvent, AgentFolder, AgentOptions } from '../../../src/engine/agent/agent-ports.js';
import { DeliveryAgent } from '../../../src/engine/agent/delivery-agent.js';
import type { ContentReport } from '../../../src/engine/content/content-report.js';
import type { DeliveryTarget } from '../../../src/engine/deliver-file.js';
import type { LedgerEntry } from '../../../src/engine/delivery-ledger.js';
import type { JobRecord } from '../../../src/engine/job-store.js';
import type { HttpResponse } from '../../../src/engine/ports.js';
import { TargetGate } from '../../../src/engine/target-gate.js';
import { targetSpec } from '../../../src/engine/target-spec.js';
import type { TargetConfig } from '../../../src/engine/config/target-schema.js';
import { fileNameOf } from '../../../src/shared/file-name.js';
import type { JobState, JobStatus } from '../../../src/shared/job.js';
import { DEFAULT_RULE, parseRule } from '../../../src/shared/naming.js';
import { FakeClock, runOn, settle } from '../../fakes/fake-clock.js';
import { FakeFiles } from '../../fakes/fake-files.js';
import { FakeFolderWatcher } from '../../fakes/fake-folder-watcher.js';
import { FakeHttp, json, text, type Exchange } from '../../fakes/fake-http.js';
import { FakeJobStore } from '../../fakes/fake-job-store.js';
import { RecordingLogger } from '../../fakes/fake-logger.js';
import { FakeWriteProbe } from '../../fakes/fake-write-probe.js';
import { MemoryLedger } from '../../fakes/memory-ledger.js';

/**
 * Everything a DeliveryAgent unit test builds, in one place: when the agent's constructor or
 * ports change, only this module changes. Tests drive the agent through its public commands,
 * drop files into fake folders and read the outcome from the jobs, the fake vendor, the
 * ledger and the stored records.
 */

export const START = Date.UTC(2026, 0, 1);
/** The mtime of files that were there before the agent started: long settled. */
export const OLD_MTIME = START - 3_600_000;
export const WATCHED = '/data/out';
export const LEXER_ENDPOINT = 'https://api.lexer.example/v1/uploads';
export const ANALYTICS_ENDPOINT = 'https://api.analytics.example/analytics/files/upload';
export const ANALYTICS_RULE = '{provider}_{datasetType}_{date}.{ext}';

export const LEXER: TargetConfig = {
  profile: 'lexer',
  endpoint: LEXER_ENDPOINT,
  auth: { style: 'auth-api-token' },
};
/** A lexer-profile target at another endpoint. */
export function lexerAt(endpoint: string): TargetConfig {
  return { ...LEXER, endpoint };
}

export const ANALYTICS: TargetConfig = {
  profile: 'analytics',
  endpoint: ANALYTICS_ENDPOINT,
  auth: { style: 'auth-api-token' },
};

export interface FolderSetup {
  readonly path: string;
  readonly target: string;
  /** A naming rule template; the default convention without one. */
  readonly rule?: string;
  /** Whether the content check runs for this folder (see `AgentHarness.contentProblem`). */
  readonly checkContent?: boolean;
}

export interface HarnessSetup {
  readonly folders?: readonly FolderSetup[];
  readonly targets?: Readonly<Record<string, TargetConfig>>;
  readonly concurrency?: number;
  /** Files there before the agent starts, by path: the first scan reports them. */
  readonly files?: Readonly<Record<string, string>>;
  /** Jobs in the journal before the agent starts (see `storedJob`). */
  readonly journal?: readonly JobRecord[];
  /** Deliveries in the ledger before the agent starts (see `ledgerEntry`). */
  readonly ledger?: readonly LedgerEntry[];
}

type Settings = Required<Pick<HarnessSetup, 'folders' | 'targets' | 'concurrency'>>;

export function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A job as an earlier run left it in the journal, for a file of the default folder. */
export function storedJob(name: string, state: JobState, extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id: `journal-${name}`,
    path: `${WATCHED}/${name}`,
    folder: WATCHED,
    target: 'lexer',
    state,
    attempts: 0,
    history: [],
    createdAt: START - 60_000,
    updatedAt: START - 50_000,
    ...extra,
  };
}

/** What an earlier run saw of `content` as a file there before start: for `storedJob`'s extras. */
export function seenAs(content: string): Partial<JobRecord> {
  return { size: new TextEncoder().encode(content).byteLength, mtimeMs: OLD_MTIME, sha256: sha256(content) };
}

/** A delivery an earlier run recorded, of `content` at `path` (a file there before start). */
export function ledgerEntry(path: string, content: string, extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    sha256: sha256(content),
    path,
    size: new TextEncoder().encode(content).byteLength,
    mtimeMs: OLD_MTIME,
    remoteId: 'r-before',
    target: 'lexer',
    deliveredAt: START - 30_000,
    ...extra,
  };
}

/** One upload the vendor took in full. */
export interface Received {
  readonly endpoint: string;
  readonly name: string;
  readonly remoteId: string;
  readonly content: string;
}

/**
 * The vendor's side of the presigned-URL profiles (lexer, analytics): grants a URL for each
 * POST, takes the PUT, answers the analytics status endpoint, and remembers every file it
 * took in full. Failures and slowness are switched on by the test.
 */
export class FakeVendor {
  readonly received: Received[] = [];
  /** While set, every URL request is answered with this instead of a URL. */
  refuseGrants: HttpResponse | undefined;
  /** What the analytics status endpoint says of every delivered file. */
  importStatus: Readonly<Record<string, unknown>> = { status: 'Completed' };
  /** How long each PUT takes, on the fake clock. */
  putMs = 0;
  /** The most PUTs that were in progress at once. */
  maxInFlight = 0;
  readonly #grants = new Map<string, { endpoint: string; name: string }>();
  #inFlight = 0;
  #held: (() => void)[] | undefined;

  constructor(private readonly clock: FakeClock) {}

  readonly handle = async (x: Exchange): Promise<HttpResponse> => {
    switch (x.method) {
      case 'POST':
        return this.grant(x);
      case 'PUT':
        return this.take(x);
      case 'GET':
        return json(200, { id: fileNameOf(new URL(x.url).pathname), ...this.importStatus });
      case 'DELETE':
        return text(405, '');
    }
  };

  /** The contents taken under a file name, in order. */
  contentsOf(name: string): string[] {
    return this.received.filter((r) => r.name === name).map((r) => r.content);
  }

  /** PUTs from now on take their bytes and then wait, until `release` (or their abort). */
  hold(): void {
    this.#held ??= [];
  }

  release(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const resume of held) resume();
  }

  private grant(x: Exchange): HttpResponse {
    if (this.refuseGrants !== undefined) return this.refuseGrants;
    const body = JSON.parse(x.text ?? '{}') as { filename?: string; file?: { name?: string } };
    const remoteId = `r-${this.#grants.size + 1}`;
    this.#grants.set(remoteId, { endpoint: x.url, name: body.filename ?? body.file?.name ?? '' });
    return json(200, { id: remoteId, url: `https://uploads.vendor.example/${remoteId}?X-Amz-Signature=s` });
  }

  private async take(x: Exchange): Promise<HttpResponse> {
    const remoteId = fileNameOf(new URL(x.url).pathname);
    const grant = this.#grants.get(remoteId);
    if (grant === undefined) return text(403, 'no such upload');
    this.#inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    try {
      if (this.putMs > 0) await this.clock.sleep(this.putMs, x.signal);
      const bytes = await x.receive();
      const held = this.#held;
      if (held !== undefined) {
        await new Promise<void>((resolve, reject) => {
          const abort = () => {
            reject(x.signal.reason as Error);
          };
          if (x.signal.aborted) abort();
          held.push(resolve);
          x.signal.addEventListener('abort', abort, { once: true });
        });
      }
      this.received.push({ ...grant, remoteId, content: new TextDecoder().decode(bytes) });
      return text(200, '');
    } finally {
      this.#inFlight -= 1;
    }
  }
}

/** Builds the agent's folders and targets from the setup, as the runtime does from a config. */
function resolveSettings(settings: Settings, gates: Map<string, TargetGate>): AgentOptions {
  const target = (name: string): DeliveryTarget => {
    const config = settings.targets[name];
    if (config === undefined) throw new Error(`the harness has no target '${name}'`);
    let gate = gates.get(name);
    if (gate === undefined) {
      gate = new TargetGate();
      gates.set(name, gate);
    }
    return { ...targetSpec(name, config, { fields: {} }), gate };
  };
  const folders: AgentFolder[] = settings.folders.map((folder) => ({
    path: folder.path,
    target: target(folder.target),
    rule: folder.rule === undefined ? DEFAULT_RULE : parseRule(folder.rule),
    fields: {},
    after: 'leave',
    watch: {},
    checkContent: folder.checkContent === true,
    contentOptions: {},
    prepare: {},
  }));
  return {
    folders,
    concurrency: settings.concurrency,
    // Tiny, so a file settles in a few steps of the fake clock.
    settle: { windowMs: 10, pollMs: 5 },
    targets: new Map(Object.keys(settings.targets).map((name) => [name, target(name)])),
  };
}

export class AgentHarness {
  readonly clock = new FakeClock(START);
  readonly files = new FakeFiles(64);
  readonly vendor = new FakeVendor(this.clock);
  readonly http = new FakeHttp(this.vendor.handle);
  readonly ledger: MemoryLedger;
  readonly logger = new RecordingLogger();
  /** Every event the agents emitted, across restarts. */
  readonly events: AgentEvent[] = [];
  /**
   * While set, the content check refuses every file of a checking folder with this message;
   * `send anyway` (retry with force) gets past it.
   */
  contentProblem: string | undefined;
  /** Every file the agent hashed, in order, across restarts. */
  readonly hashed: string[] = [];
  /** What the journal holds: it outlives restarts, as the file does. */
  readonly #journal: Map<string, JobRecord>;
  #settings: Settings;
  #agent: DeliveryAgent | undefined;
  #gates = new Map<string, TargetGate>();
  #watcher = this.newWatcher();
  #probe = new FakeWriteProbe(this.files);
  #ids = 0;
  #mtime = START;

  constructor(setup: HarnessSetup = {}) {
    this.#settings = {
      folders: setup.folders ?? [{ path: WATCHED, target: 'lexer' }],
      targets: setup.targets ?? { lexer: LEXER },
      concurrency: setup.concurrency ?? 2,
    };
    this.ledger = new MemoryLedger(setup.ledger);
    this.#journal = new Map((setup.journal ?? []).map((job) => [job.id, job]));
    for (const [path, content] of Object.entries(setup.files ?? {}))
      this.files.write(path, content, OLD_MTIME);
  }

  get agent(): DeliveryAgent {
    if (this.#agent === undefined) throw new Error('the agent has not started');
    return this.#agent;
  }

  get watcher(): FakeFolderWatcher {
    return this.#watcher;
  }

  /** How the running agent looks at files: `looked` lists every stat it asked for. */
  get probe(): FakeWriteProbe {
    return this.#probe;
  }

  /** Builds an agent over what is stored and starts it: the first scan follows at once. */
  async start(): Promise<void> {
    // A new process: new gates, as the runtime makes them; they outlive a reconfigure.
    this.#gates = new Map();
    this.#watcher = this.newWatcher();
    this.#probe = new FakeWriteProbe(this.files);
    const agent = new DeliveryAgent(
      {
        clock: this.clock,
        files: this.files,
        http: this.http,
        secrets: { token: (target) => Promise.resolve(`tok-${target}`) },
        logger: this.logger,
        random: () => 0.5,
        probe: this.#probe,
        hash: async (path, signal) => {
          this.hashed.push(path);
          const hash = createHash('sha256');
          for await (const chunk of this.files.read(path, signal)) hash.update(chunk);
          return hash.digest('hex');
        },
        watcher: this.#watcher,
        ledger: this.ledger,
        store: new FakeJobStore(this.#journal),
        moveToSent: (path) => Promise.resolve(path.replace(/\/([^/]+)$/, '/sent/$1')),
        checkContent: () => {
          const message = this.contentProblem;
          if (message === undefined) return Promise.resolve(undefined);
          const report: ContentReport = {
            verdict: 'rejected',
            findings: [{ code: 'content-csv-columns', severity: 'error', message }],
            stats: { bytes: 0, rows: 0 },
          };
          return Promise.resolve(report);
        },
        newId: () => `job-${(this.#ids += 1)}`,
      },
      resolveSettings(this.#settings, this.#gates),
      (event) => this.events.push(event),
    );
    this.#agent = agent;
    await this.run(agent.start());
  }

  /** Stops the agent as a quit does, and starts a new one over the same journal, ledger and files. */
  async restart(): Promise<void> {
    await this.run(this.agent.stop());
    await this.start();
  }

  /** Applies changed settings to the running agent; what is not given stays as it was. */
  async reconfigure(change: HarnessSetup): Promise<void> {
    this.#settings = {
      folders: change.folders ?? this.#settings.folders,
      targets: change.targets ?? this.#settings.targets,
      concurrency: change.concurrency ?? this.#settings.concurrency,
    };
    const { folders, targets, concurrency } = resolveSettings(this.#settings, this.#gates);
    await this.run(this.agent.reconfigure({ folders, targets, concurrency }));
  }

  /** Writes a file into a watched folder (the first by default) and lets the watcher tell of it. */
  drop(name: string, content: string, folder = this.firstFolder): string {
    const path = `${folder}/${name}`;
    this.write(path, content);
    this.watcher.emit({ type: 'file', folder, path });
    return path;
  }

  /** Writes a file, as a program does, without the watcher telling of it. */
  write(path: string, content: string): void {
    // Every write is seen as a change, however fast the fake clock runs.
    this.#mtime = Math.max(this.#mtime + 1, this.clock.now());
    this.files.write(path, content, this.#mtime);
  }

  /** Deletes a file and lets the watcher tell of it. */
  remove(path: string): void {
    const folder = path.slice(0, path.lastIndexOf('/'));
    this.files.remove(path);
    this.watcher.emit({ type: 'file-removed', folder, path });
  }

  /** Runs the fake clock until the agent has nothing left to do (paused and held jobs aside). */
  idle(): Promise<void> {
    return this.run(this.agent.idle());
  }

  /** Runs the fake clock until `work` is done. */
  run<T>(work: Promise<T>): Promise<T> {
    return runOn(this.clock, work);
  }

  /** Runs the fake clock until `check` holds; fails when nothing is left to happen first. */
  async until(check: () => boolean, what = 'the condition'): Promise<void> {
    for (let step = 0; step < 1_000; step += 1) {
      await settle();
      if (check()) return;
      if (!this.clock.fireNext()) break;
    }
    throw new Error(`${what} never came to hold`);
  }

  /** The newest job for a file name. */
  job(name: string): JobRecord {
    const job = this.agent.jobs().findLast((j) => fileNameOf(j.path) === name);
    if (job === undefined) throw new Error(`no job for ${name}`);
    return job;
  }

  status(name: string): JobStatus {
    return this.job(name).state.status;
  }

  /** Every job's status, by file name. */
  statuses(): Record<string, JobStatus> {
    return Object.fromEntries(this.agent.jobs().map((j) => [fileNameOf(j.path), j.state.status]));
  }

  /** The records in the journal, as a restart would read them. */
  stored(): JobRecord[] {
    return [...this.#journal.values()];
  }

  private get firstFolder(): string {
    const folder = this.#settings.folders[0];
    if (folder === undefined) throw new Error('the harness has no folder');
    return folder.path;
  }

  private newWatcher(): FakeFolderWatcher {
    return new FakeFolderWatcher((folder) =>
      this.files.paths().filter((path) => path.slice(0, path.lastIndexOf('/')) === folder),
    );
  }
}

/** A started agent over fakes: `const h = await agentHarness(); h.drop(name, 'id\n1\n'); await h.idle();` */
export async function agentHarness(setup: HarnessSetup = {}): Promise<AgentHarness> {
  const harness = new AgentHarness(setup);
  await harness.start();
  return harness;
}
