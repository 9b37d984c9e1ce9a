import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AgentEvent, AgentFolder } from '../engine/agent/agent-ports.js';
import { AgentService, type DeliveryRecords } from '../engine/agent/agent-service.js';
import { folderWarnings } from '../engine/auto-load.js';
import type { DeliveredFile } from '../engine/expectations/expectation-status.js';
import { ExpectationTracker } from '../engine/expectations/expectation-tracker.js';
import type { LedgerEntry } from '../engine/delivery-ledger.js';
import { receiptsOf } from '../engine/receipts.js';
import { targetEvents } from '../engine/agent/target-events.js';
import { DeliveryAgent } from '../engine/agent/delivery-agent.js';
import type { DeliveryTarget } from '../engine/deliver-file.js';
import { InterruptibleHttp } from '../engine/interruptible-http.js';
import type { Clock, Logger, SecretStore } from '../engine/ports.js';
import { SleepWatch, wokeError } from '../engine/sleep-watch.js';
import { TargetGate } from '../engine/target-gate.js';
import { targetSpec, uploadLimit } from '../engine/target-spec.js';
import { DEFAULT_SETTLE, type SettleOptions } from '../engine/write-settler.js';
import type { FerryConfig } from '../engine/config/config-schema.js';
import { parseRule } from '../shared/naming.js';
import { NodeFolderWatcher } from './node-folder-watcher.js';
import { FileDeliveryLedger, readLedger } from './delivery-ledger.js';
import { nodeDeliveryPorts } from './delivery-ports.js';
import { fileCheckpoints, fileGrants } from './file-checkpoints.js';
import { sha256File } from './file-hash.js';
import { checkFileContent } from './file-content-check.js';
import { prepareFile } from './prepared-file.js';
import { JobJournal } from './journal.js';
import { NodeWriteProbe } from './node-write-probe.js';
import { moveToSent } from './sent-folder.js';
import { listenForControl } from './control-socket.js';
import { RuntimeSettings, type SandboxHandle, type TokenWriter } from './runtime-settings.js';
import type { SettingsStore } from './settings-store.js';
import { acquireStateDirLock } from './state-dir-lock.js';
import { withStarts } from './expectation-starts.js';
import { configExpectations } from './stored-expectations.js';
import { ensureStateDir } from './state-dir.js';
import { systemClock } from './system-clock.js';

export interface AgentRuntimeOptions {
  readonly stateDir: string;
  readonly config: FerryConfig;
  readonly concurrency: number;
  readonly settle?: SettleOptions;
  /** Poll folders instead of relying on OS events (network shares). */
  readonly polling?: boolean;
  /** A cap for this run (`--limit-rate`), in bytes per second: it overrides the config's and its schedule. */
  readonly limitRate?: number;
  readonly logger: Logger;
  readonly secrets: SecretStore;
  /** Where a token set from the window is saved; without one, the window cannot set tokens. */
  readonly tokenWriter?: TokenWriter;
  /** The config file settings saved from the window go to (created by the first save). */
  readonly settingsStore?: SettingsStore;
  /** Why settings cannot be saved from the window (the agent was started without a config file). */
  readonly readOnly?: string;
  /** The desktop app, which shows notifications and has a login item; `ferry watch` does neither. */
  readonly desktop?: boolean;
  /** The desktop app's file manager: selects a job's file in its folder. */
  readonly showInFolder?: (path: string) => void;
  /** Starts a sandbox in this process for the first-run trial; without it, there is no trial. */
  readonly openSandbox?: () => Promise<SandboxHandle>;
  /** Settings saved from the window were applied (the app re-reads notifications and start at login). */
  readonly onConfigChanged?: (config: FerryConfig) => void;
  readonly onEvent: (event: AgentEvent) => void;
  /** The clock the sleep watch reads, so a test can make the machine "sleep"; the system's without it. */
  readonly sleepClock?: Clock;
}

export interface AgentRuntime {
  readonly agent: DeliveryAgent;
  /** The agent behind the contract, for the window, the tray and `ferry jobs|retry|pause|resume`. */
  readonly service: AgentService;
  readonly stateDir: string;
  /** The open period of every expected file, as last checked. */
  readonly expectations: Pick<ExpectationTracker, 'current'>;
  /** The names of the targets the agent delivers to now (settings saved from the window included). */
  targetNames(): string[];
  /**
   * Where the OS tells of a suspend and a resume (the app's powerMonitor); a headless agent
   * notices a wake by itself, from a timer firing late. A wake starts in-flight requests over.
   */
  readonly sleep: Pick<SleepWatch, 'suspended' | 'resumed'>;
  /** The size limit of a target the agent now delivers to (a trial's too); undefined for no such target. */
  uploadLimit(target: string): number | undefined;
  /** Stops the agent, closes the journal and ledger, releases the state dir. */
  close(): Promise<void>;
}

/**
 * One gate per target name: every folder and job sending to a vendor shares its 429s and 401.
 * Gates outlive a settings change, so a target edited in the window keeps its rate-limit wait.
 */
function resolveTargets(config: FerryConfig, gates: Map<string, TargetGate>) {
  for (const name of Object.keys(config.targets)) if (!gates.has(name)) gates.set(name, new TargetGate());
  const target = (name: string, fields: Readonly<Record<string, string>>): DeliveryTarget => {
    const settings = config.targets[name];
    const gate = gates.get(name);
    if (settings === undefined || gate === undefined) throw new Error(`no target named '${name}'`);
    return { ...targetSpec(name, settings, { fields }), gate };
  };
  return {
    byName: new Map(Object.keys(config.targets).map((name) => [name, target(name, {})])),
    forFolder: target,
  };
}

/** A delivery as the expectations see it: where the file was, and when it went. */
const deliveredFile = (entry: Pick<LedgerEntry, 'path' | 'folder' | 'deliveredAt'>): DeliveredFile => ({
  path: entry.path,
  ...(entry.folder === undefined ? {} : { folder: entry.folder }),
  deliveredAt: entry.deliveredAt,
});

/** What the tracker hears of the agent: deliveries, and changes that may explain a late file. */
function followForExpectations(tracker: ExpectationTracker, event: AgentEvent): void {
  switch (event.type) {
    case 'job':
      if (!tracker.concerns(event.job)) return;
      if (event.job.state.status === 'completed')
        tracker.recordDelivery(deliveredFile({ ...event.job, deliveredAt: event.job.updatedAt }));
      else tracker.check();
      return;
    case 'reachability':
    case 'token':
      tracker.check();
      return;
    case 'job-removed':
    case 'progress':
    case 'folder':
    case 'expectation':
      return;
  }
}

/**
 * Builds the watch agent from real parts for a state dir: the lock (one agent
 * per state dir), the journal and ledger in it, the folder watches, node:http, the keyring.
 */
export async function startAgentRuntime(options: AgentRuntimeOptions): Promise<AgentRuntime> {
  const stateDir = await ensureStateDir(options.stateDir);
  const lock = await acquireStateDirLock(stateDir);
  try {
    // Converted or compressed copies an earlier run left behind when it was killed.
    await rm(join(stateDir, 'tmp'), { recursive: true, force: true });
    const ledger = await FileDeliveryLedger.open(stateDir);
    const gates = new Map<string, TargetGate>();
    const agentFolders = (config: FerryConfig, targets: ReturnType<typeof resolveTargets>): AgentFolder[] =>
      config.folders.map((folder) => ({
        path: resolve(folder.path),
        target: targets.forFolder(folder.target, folder.fields),
        rule: parseRule(folder.rule),
        fields: folder.fields,
        after: folder.after,
        watch: { ignore: folder.ignore, polling: options.polling === true || folder.poll },
        checkContent: folder.checks,
        contentOptions: { requiredKeys: folder.requiredKeys },
        prepare: {
          ...(folder.convert === undefined
            ? {}
            : { convert: folder.convert, types: folder.types, requiredKeys: folder.requiredKeys }),
          ...(folder.compress === undefined ? {} : { compress: folder.compress }),
        },
      }));
    for (const warning of folderWarnings(options.config))
      options.logger.warn({ folder: warning.folder }, warning.message);
    const targets = resolveTargets(options.config, gates);
    const folders = agentFolders(options.config, targets);
    // The service needs the agent and hears its events: it joins the listeners once built.
    const listeners: ((event: AgentEvent) => void)[] = [options.onEvent];
    const delivery = nodeDeliveryPorts({
      logger: options.logger,
      // Through the settings: a sandbox trial brings its own token.
      secrets: { token: (target) => settings.secrets.token(target) },
      proxy: options.config.proxy,
      limitRate: options.limitRate ?? options.config.limitRate,
      limitRateSchedule: options.limitRate === undefined ? options.config.limitRateSchedule : undefined,
    });
    // Requests in flight when the machine sleeps are started over when it wakes (see below).
    const http = new InterruptibleHttp(delivery.http);
    const settings = new RuntimeSettings(
      {
        agent: () => agent,
        secrets: options.secrets,
        http,
        writer: options.tokenWriter,
        settingsStore: options.settingsStore,
        readOnly: options.readOnly,
        desktop: options.desktop === true,
        stateDir,
        openSandbox: options.openSandbox,
        onConfigChanged: options.onConfigChanged,
        apply: async (config, concurrency) => {
          const next = resolveTargets(config, gates);
          await agent.reconfigure({ folders: agentFolders(config, next), targets: next.byName, concurrency });
          stopTargetEvents();
          stopTargetEvents = targetEvents(next.byName, tell);
          // A new expectation may be met by a delivery the tracker did not keep: the ledger knows.
          expectations.reset(await followed(config), (await readLedger(stateDir)).map(deliveredFile));
        },
      },
      options.config,
      options.concurrency,
    );
    const agent = new DeliveryAgent(
      {
        ...delivery,
        http,
        // What a killed agent resumes from: multipart parts sent, and URLs granted but not recorded.
        checkpoints: fileCheckpoints(stateDir),
        grants: fileGrants(stateDir),
        probe: new NodeWriteProbe(),
        hash: sha256File,
        watcher: new NodeFolderWatcher(),
        ledger,
        store: new JobJournal(stateDir),
        moveToSent,
        checkContent: checkFileContent,
        prepare: (path, name, plan, signal) => prepareFile(join(stateDir, 'tmp'), path, name, plan, signal),
        newId: randomUUID,
      },
      {
        folders,
        concurrency: options.concurrency,
        settle: options.settle ?? DEFAULT_SETTLE,
        targets: targets.byName,
      },
      (event) => {
        for (const listener of listeners) listener(event);
      },
    );
    const startedAt = delivery.clock.now();
    // Each expectation with when this state dir's agents began to follow it (recorded on first sight).
    const followed = (config: FerryConfig) =>
      withStarts(stateDir, configExpectations(config), delivery.clock.now(), true);
    const expectations = new ExpectationTracker(
      delivery.clock,
      () => ({
        jobs: agent.jobs(),
        offlineTargets: agent.offlineTargets(),
        tokenRejected: agent.stoppedTargets(),
        agentSince: startedAt,
      }),
      (status) => {
        tell({ type: 'expectation', status });
      },
    );
    const records: DeliveryRecords = {
      late: () => expectations.current().filter((status) => status.state === 'late'),
      expectations: async (days) => ({
        at: delivery.clock.now(),
        statuses: expectations.recent(days, (await readLedger(stateDir)).map(deliveredFile)),
      }),
      receipts: async (filter) => {
        const rules = new Map(settings.live().folders.map((f) => [resolve(f.path), parseRule(f.rule)]));
        return receiptsOf(await readLedger(stateDir), (folder) => rules.get(folder), filter);
      },
    };
    const service = new AgentService(agent, settings, options.showInFolder, records);
    listeners.unshift((event) => {
      service.onAgentEvent(event);
    });
    listeners.push((event) => {
      followForExpectations(expectations, event);
    });
    const tell = (event: AgentEvent) => {
      for (const listener of listeners) listener(event);
    };
    let stopTargetEvents = targetEvents(targets.byName, tell);
    const sleep = new SleepWatch(options.sleepClock ?? systemClock, (wake) => {
      const interrupted = http.interrupt(wokeError(wake.sleptMs));
      options.logger.info(
        { source: wake.source, sleptMs: wake.sleptMs, interrupted },
        'the machine woke up: requests in flight start over',
      );
      // A deadline may have passed while asleep: tell it now, not when a timer gets to it.
      expectations.check();
    });
    const control = await listenForControl(stateDir, service);
    await agent.start();
    expectations.reset(await followed(settings.live()), (await readLedger(stateDir)).map(deliveredFile));
    const stopSleepWatch = new AbortController();
    void sleep.watch(stopSleepWatch.signal);
    const tracking = expectations.run(stopSleepWatch.signal);
    return {
      agent,
      service,
      stateDir,
      expectations,
      targetNames: () => Object.keys(settings.live().targets),
      sleep,
      uploadLimit: (name) => {
        const target = settings.live().targets[name];
        return target === undefined ? undefined : uploadLimit(target);
      },
      close: async () => {
        stopSleepWatch.abort();
        await tracking;
        stopTargetEvents();
        await control.close();
        await agent.stop();
        await settings.close();
        await ledger.close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
