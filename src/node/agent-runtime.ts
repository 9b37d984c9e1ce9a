import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AgentEvent, AgentFolder } from '../engine/agent/agent-ports.js';
import { AgentService } from '../engine/agent/agent-service.js';
import { folderWarnings } from '../engine/auto-load.js';
import { targetEvents } from '../engine/agent/target-events.js';
import { DeliveryAgent } from '../engine/agent/delivery-agent.js';
import type { DeliveryTarget } from '../engine/deliver-file.js';
import { InterruptibleHttp } from '../engine/interruptible-http.js';
import type { Clock, Logger, SecretStore } from '../engine/ports.js';
import { SleepWatch, wokeError } from '../engine/sleep-watch.js';
import { TargetGate } from '../engine/target-gate.js';
import { targetSpec } from '../engine/target-spec.js';
import { DEFAULT_SETTLE, type SettleOptions } from '../engine/write-settler.js';
import type { FerryConfig } from '../engine/config/config-schema.js';
import { parseRule } from '../shared/naming.js';
import { ChokidarFolderWatcher } from './chokidar-folder-watcher.js';
import { FileDeliveryLedger } from './delivery-ledger.js';
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
  /**
   * Where the OS tells of a suspend and a resume (the app's powerMonitor); a headless agent
   * notices a wake by itself, from a timer firing late. A wake starts in-flight requests over.
   */
  readonly sleep: Pick<SleepWatch, 'suspended' | 'resumed'>;
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

/**
 * Builds the watch agent from real parts for a state dir: the lock (one agent
 * per state dir), the journal and ledger in it, chokidar, got, the keyring.
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
        watcher: new ChokidarFolderWatcher(),
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
    const service = new AgentService(agent, settings, options.showInFolder);
    listeners.unshift((event) => {
      service.onAgentEvent(event);
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
    });
    const control = await listenForControl(stateDir, service);
    await agent.start();
    const stopSleepWatch = new AbortController();
    void sleep.watch(stopSleepWatch.signal);
    return {
      agent,
      service,
      stateDir,
      sleep,
      close: async () => {
        stopSleepWatch.abort();
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
