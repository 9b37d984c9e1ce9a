import type { AuthStyle } from '../../shared/config.js';
import type { JsonObject } from '../../shared/json-value.js';
import type { TargetConfig } from '../config/target-schema.js';
import type { Pacer, PaceOptions } from '../pacer.js';
import type { ProcessingStatus } from '../processing-status.js';
import type {
  Clock,
  Files,
  Http,
  HttpRequest,
  HttpResponse,
  LogFields,
  Logger,
  MultipartCheckpoint,
  PendingGrant,
} from '../ports.js';

/** A request with the target's token: what a harmless connection test sends. */
export interface TokenRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** "Test connection": the profile's first request, when sending it alone leaves nothing behind. */
export type ConnectionProbe =
  | {
      readonly harmless: true;
      /** The template variables the request needs: a test has no file to fill the rule's. */
      readonly variables: readonly string[];
      request(variables: Readonly<Record<string, string>>, token: string): TokenRequest;
      /** Throws a DeliveryError when a 2xx answer is not what the profile expects. */
      check(response: HttpResponse): void;
    }
  | { readonly harmless: false; readonly reason: string };

/** One durable record of the file being delivered: it survives a crash, until the delivery is recorded. */
export interface KeptRecord<T> {
  load(): Promise<T | undefined>;
  save(record: T): Promise<void>;
  clear(): Promise<void>;
}

/** What a protocol is handed to deliver one file's bytes once. */
export interface Upload {
  readonly ports: {
    readonly clock: Clock;
    readonly files: Files;
    readonly http: Http;
    readonly logger: Logger;
    readonly random: () => number;
  };
  readonly path: string;
  /** The template variables of the file (`filename` is the name the vendor sees). */
  readonly variables: Readonly<Record<string, string>>;
  /** The file's size when this upload began; a file that then shrinks throws FileChanged. */
  readonly size: number;
  /** Its modification time then: a checkpoint of another version is not resumed. */
  readonly mtimeMs: number;
  readonly token: string;
  /** Aborting pauses: whatever is kept for a resume stays. */
  readonly signal: AbortSignal;
  /** A request that acknowledges nothing for this long is aborted as stalled. */
  readonly stallMs: number;
  readonly pacer: Pacer;
  /** The job's retry-wait, for protocols whose every attempt is one request the job shows. */
  readonly jobPace: Pick<PaceOptions, 'onWait' | 'onNext'>;
  readonly log: LogFields;
  /** Bytes are about to move: the job is uploading `total` of them. */
  started(total: number): void;
  /** File bytes the vendor holds or is receiving. */
  progress(sent: number): void;
  /** The presigned URL a crash interrupted, on the delivery's first attempt only. */
  interruptedGrant(): Promise<PendingGrant | undefined>;
  readonly grant: KeptRecord<PendingGrant>;
  readonly checkpoint: KeptRecord<MultipartCheckpoint>;
}

/** A file the vendor holds, as its file list names it. */
export interface RemoteFile {
  readonly id: string;
  readonly name: string;
  readonly createdAt?: string;
  /** The vendor's whole entry, under its own names. */
  readonly entry: JsonObject;
}

/** How to ask a vendor which files it holds, where its API can say. */
export interface RemoteListing {
  request(token: string): Omit<HttpRequest, 'signal'>;
  /** Reads a 2xx answer; throws a `bad-answer` DeliveryError for one it cannot read. */
  read(response: HttpResponse): RemoteFile[];
}

/** A profile bound to one target and the fields of the folder that feeds it. */
export interface BoundProtocol {
  /** Where the vendor is: probed while it does not answer at all. */
  readonly endpoint: string;
  /**
   * Asks the vendor for the upload and sends the bytes, pacing every request; resolves with the
   * vendor's id of the file. Throws the DeliveryError the job fails with, FileChanged when the
   * file changed under the upload, or the signal's reason.
   */
  send(upload: Upload): Promise<string>;
  /** How to ask the vendor about its import of a delivered file; absent when it reports none. */
  readonly statusRequest?: (remoteId: string, token: string) => Omit<HttpRequest, 'signal'>;
  /** Reads the answer to `statusRequest`; the common reader (`readProcessingStatus`) when absent. */
  readonly readStatus?: (response: HttpResponse) => ProcessingStatus;
  readonly probe: ConnectionProbe;
  /** What the vendor holds for this target (`ferry remote list`); absent when its API cannot list. */
  readonly listing?: RemoteListing;
}

/** A target's settings from the config, whatever its profile. */
export type TargetSettings = Omit<TargetConfig, 'profile'>;

/** What a profile asks of a target's config: what the validator checks, and the defaults it fills in. */
export interface ProfileConfigFacts {
  /** The auth style used when a target names none. */
  readonly defaultAuth: AuthStyle;
  /** The request body the vendor documents, sent when a target sets none. */
  readonly defaultBody?: JsonObject;
  /** No vendor documents the first request or its answer, so a target must give `request` and `response`. */
  readonly needsTemplates: boolean;
  /** The largest file a target's `maxBytes` may name, where a single PUT makes the limit. */
  readonly largestFile?: number;
  /** A folder field that caps the size of each file at the vendor, in bytes (checked before sending). */
  readonly sizeLimitField?: string;
  /** What the vendor needs in the request to load files of some types by itself, without a person. */
  readonly autoLoad?: AutoLoadNeeds;
}

/** Fields without which the vendor takes files of these types but leaves them for a person to load. */
export interface AutoLoadNeeds {
  /** Folder fields (sent as named) the request must carry. */
  readonly fields: readonly string[];
  /** File types (extensions without a dot, also gzipped) the vendor can load by itself. */
  readonly extensions: readonly string[];
}

/** How one vendor API takes a file. Every profile is one module implementing this. */
export interface Protocol {
  readonly config: ProfileConfigFacts;
  /** The largest file the protocol can carry, whatever a target's `maxBytes` says. */
  readonly maxBytes: number;
  /** How an upload a crash interrupted is picked up. */
  readonly resumes: 'same-url' | 'parts' | 'from-scratch';
  /** Throws a DeliveryError of kind `config` when the target's settings cannot work. */
  bind(name: string, target: TargetSettings, fields: Readonly<Record<string, string>>): BoundProtocol;
}
