import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Which receiving API an object came through; `s3` is a presigned PUT no API issued. */
export type DeliveryApi = 'lexer' | 'analytics' | 'form' | 'multipart' | 's3';

/** One object that arrived in the bucket, as the sandbox received it. */
export interface Delivery {
  readonly key: string;
  readonly filename: string;
  readonly size: number;
  readonly sha256: string;
  readonly api: DeliveryApi;
  readonly receivedAt: string;
}

export interface TokenRecord {
  readonly id: string;
  readonly label: string;
  /** sha256 of the token: the sandbox never stores a token itself. */
  readonly sha256: string;
  readonly createdAt: string;
}

/** A key handed out in a presigned URL by the lexer or analytics API, waiting for its bytes. */
export interface UploadTarget {
  readonly key: string;
  readonly filename: string;
  readonly api: 'lexer' | 'analytics';
  readonly id: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

export type AnalyticsStatus = 'Pending' | 'Processing' | 'Completed' | 'Failed';

export interface ImportStatistics {
  readonly rows: number;
  readonly columns: number;
  readonly bytes: number;
}

export interface AnalyticsFile {
  readonly id: string;
  readonly key: string;
  readonly datasetType: string;
  readonly file: { readonly name: string; readonly type: string };
  readonly createdAt: string;
  status: AnalyticsStatus;
  updatedAt: string;
  statistics?: ImportStatistics;
  error?: string;
}

export interface FormFile {
  readonly file_id: string;
  readonly file_name: string;
  readonly file_description: string;
  readonly key: string;
  readonly size: number;
  readonly created_at: string;
}

/** Celery-style states, as the Bearer API's background tasks report them. */
export type TaskStatus = 'PENDING' | 'STARTED' | 'SUCCESS' | 'FAILURE';

export interface FormTask {
  readonly task_id: string;
  readonly file: FormFile;
  readonly file_size_limit: number | null;
  readonly enforce_schema: boolean;
  status: TaskStatus;
  error?: string;
}

export interface PartRecord {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
}

export interface MultipartUpload {
  readonly uploadId: string;
  readonly id: number;
  readonly key: string;
  readonly filename: string;
  readonly createdAt: string;
  parts: PartRecord[];
}

export interface SandboxState {
  readonly version: 1;
  nextId: number;
  tokens: TokenRecord[];
  targets: UploadTarget[];
  deliveries: Delivery[];
  analytics: AnalyticsFile[];
  tasks: FormTask[];
  multipart: MultipartUpload[];
}

function emptyState(): SandboxState {
  return {
    version: 1,
    nextId: 1,
    tokens: [],
    targets: [],
    deliveries: [],
    analytics: [],
    tasks: [],
    multipart: [],
  };
}

/**
 * Everything the sandbox knows besides the bytes (which live in s3rver), kept in one JSON
 * file so a sandbox started with the same data dir carries on where it stopped.
 */
export class StateStore {
  private writing: Promise<void> = Promise.resolve();
  /** The write that has not started yet, which every save asked for now will share. */
  private nextWrite: Promise<void> | undefined;
  /** Writes made so far. */
  writes = 0;

  private constructor(
    readonly state: SandboxState,
    private readonly file: string,
  ) {}

  static async open(dir: string): Promise<StateStore> {
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'sandbox-state.json');
    let state = emptyState();
    try {
      const loaded = JSON.parse(await readFile(file, 'utf8')) as Partial<SandboxState>;
      if (loaded.version === 1) state = { ...emptyState(), ...loaded };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return new StateStore(state, file);
  }

  nextId(): number {
    return this.state.nextId++;
  }

  /**
   * Writes the current state; writes are serialised and atomic (temp file + rename). Every save
   * asked for while a write is under way shares the next one, which takes the state as it is
   * when it starts: a burst of requests costs two writes of the whole state, not one each
   * (that made the sandbox slower with every file it held).
   */
  save(): Promise<void> {
    this.nextWrite ??= this.writing.then(() => {
      this.nextWrite = undefined;
      return this.write();
    });
    this.writing = this.nextWrite.catch(() => undefined);
    return this.nextWrite;
  }

  private async write(): Promise<void> {
    this.writes += 1;
    const snapshot = JSON.stringify(this.state);
    const temp = `${this.file}.tmp`;
    await writeFile(temp, snapshot);
    await rename(temp, this.file);
  }

  recordDelivery(delivery: Delivery): void {
    // A second PUT to the same key replaces the object, so it replaces the record too.
    this.state.deliveries = this.state.deliveries.filter((d) => d.key !== delivery.key);
    this.state.deliveries.push(delivery);
  }
}
