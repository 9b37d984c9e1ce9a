import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AgentEvent, AgentFolder } from '../engine/agent/agent-ports.js';
import { AgentService } from '../engine/agent/agent-service.js';
import { DeliveryAgent } from '../engine/agent/delivery-agent.js';
import type { DeliveryTarget } from '../engine/deliver-file.js';
import type { Logger, SecretStore } from '../engine/ports.js';
import { TargetGate } from '../engine/target-gate.js';
import { targetSpec } from '../engine/target-spec.js';
import { DEFAULT_SETTLE, type SettleOptions } from '../engine/write-settler.js';
import type { FerryConfig } from '../shared/config.js';
import { parseRule } from '../shared/naming.js';
import { ChokidarFolderWatcher } from './chokidar-folder-watcher.js';
import { FileDeliveryLedger } from './delivery-ledger.js';
import { nodeDeliveryPorts } from './delivery-ports.js';
import { sha256File } from './file-hash.js';
import { checkFileContent } from './file-content-check.js';
import { prepareFile } from './prepared-file.js';
import { JobJournal } from './journal.js';
import { NodeWriteProbe } from './node-write-probe.js';
import { moveToSent } from './sent-folder.js';
import { listenForControl } from './control-socket.js';
import { runtimeSettings, type TokenWriter } from './runtime-settings.js';
import { acquireStateDirLock } from './state-dir-lock.js';
import { ensureStateDir } from './state-dir.js';

export interface AgentRuntimeOptions {
  readonly stateDir: string;
  readonly config: FerryConfig;
  readonly concurrency: number;
  readonly settle?: SettleOptions;
  /** Poll folders instead of relying on OS events (network shares). */
  readonly polling?: boolean;
  readonly logger: Logger;
  readonly secrets: SecretStore;
  /** Where a token set from the window is saved; without one, the window cannot set tokens. */
  readonly tokenWriter?: TokenWriter;
  readonly onEvent: (event: AgentEvent) => void;
}

export interface AgentRuntime {
  readonly agent: DeliveryAgent;
  /** The agent behind the contract, for the window, the tray and `ferry jobs|retry|pause|resume`. */
  readonly service: AgentService;
  readonly stateDir: string;
  /** Stops the agent, closes the journal and ledger, releases the state dir. */
  close(): Promise<void>;
}

/** One gate per target name: every folder and job sending to a vendor shares its 429s and 401. */
function resolveTargets(config: FerryConfig) {
  const gates = new Map(Object.keys(config.targets).map((name) => [name, new TargetGate()]));
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
    const targets = resolveTargets(options.config);
    const folders: AgentFolder[] = options.config.folders.map((folder) => ({
      path: resolve(folder.path),
      target: targets.forFolder(folder.target, folder.fields),
      rule: parseRule(folder.rule),
      fields: folder.fields,
      after: folder.after,
      watch: { ignore: folder.ignore, polling: options.polling === true || folder.poll },
      checkContent: folder.checks,
      contentOptions: { requiredKeys: folder.requiredKeys },
      prepare: {
        ...(folder.convert === undefined ? {} : { convert: folder.convert, types: folder.types }),
        ...(folder.compress === undefined ? {} : { compress: folder.compress }),
      },
    }));
    // The service needs the agent and hears its events: it joins the listeners once built.
    const listeners: ((event: AgentEvent) => void)[] = [options.onEvent];
    const agent = new DeliveryAgent(
      {
        ...nodeDeliveryPorts({
          logger: options.logger,
          secrets: options.secrets,
          proxy: options.config.proxy,
          limitRate: options.config.limitRate,
          limitRateSchedule: options.config.limitRateSchedule,
        }),
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
    const service = new AgentService(
      agent,
      runtimeSettings(options.config, agent, options.concurrency, options.secrets, options.tokenWriter),
    );
    listeners.unshift((event) => {
      service.onAgentEvent(event);
    });
    const control = await listenForControl(stateDir, service);
    await agent.start();
    return {
      agent,
      service,
      stateDir,
      close: async () => {
        await control.close();
        await agent.stop();
        await ledger.close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
