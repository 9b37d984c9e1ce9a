import { SINGLE_PUT_LIMIT, endpointProblem, type AuthStyle } from '../../shared/config.js';
import { templateVariables } from '../../shared/body-template.js';
import { readDotPath } from '../../shared/dot-path.js';
import type { JsonValue } from '../../shared/json-value.js';
import { DeliveryError } from '../delivery-error.js';
import type { HttpResponse, PendingGrant } from '../ports.js';
import { answerJson, answeredUrlProblem, badAnswer, ensureOk, vendorId } from '../vendor-answer.js';
import type { BoundProtocol, ProfileConfigFacts, Protocol, TargetSettings, Upload } from './protocol.js';
import { statusRequest, templateRequest } from './token-request.js';
import { continueFor, request, sendFile } from './vendor-requests.js';

/**
 * The presigned-PUT family: POST a JSON body with a token, read `{url, id}` from the answer,
 * PUT the bytes to the URL. Lexer's and the analytics API are members; others are described
 * by templates in the config (the `presigned-put` profile).
 */
export interface PresignedPutSpec {
  /** The URL of the request that grants an upload URL. */
  readonly endpoint: string;
  readonly auth: AuthStyle;
  /** The body template; its placeholders are filled from the file's variables. */
  readonly body: JsonValue;
  /** Dot-paths into the answer. */
  readonly urlPath: string;
  readonly idPath: string;
}

export interface UrlGrant {
  /** The presigned URL: a credential in itself, never logged unredacted. */
  readonly url: string;
  readonly remoteId: string;
}

const UPLOAD_URL = 'upload-URL';

/** Reads a 2xx answer of the grant request. Anything unusable is a `bad-answer`, retried. */
export function readGrant(spec: PresignedPutSpec, response: HttpResponse): UrlGrant {
  // Parsing turns the vendor's `\u0026` back into `&`, the pitfall its docs warn about.
  const parsed = answerJson(response, UPLOAD_URL);
  const url = readDotPath(parsed, spec.urlPath);
  if (typeof url !== 'string' || url === '')
    throw badAnswer(response, UPLOAD_URL, `no URL at '${spec.urlPath}'`);
  const problem = answeredUrlProblem(response, url);
  if (problem !== undefined) throw badAnswer(response, UPLOAD_URL, `an unusable upload URL (${problem})`);
  const id = vendorId(readDotPath(parsed, spec.idPath));
  if (id === undefined) throw badAnswer(response, UPLOAD_URL, `no usable id at '${spec.idPath}'`);
  return { url, remoteId: id };
}

/**
 * Why a saved grant must not be sent to, or undefined when it may. The state dir is private,
 * but what is read back from a disk is checked like what came over the network: the URL passes
 * the policy a fresh one does (https, or loopback http), and it was granted by this target's
 * endpoint, so a planted grant, or one of a target since pointed elsewhere, sends no file.
 */
export function savedGrantProblem(
  spec: Pick<PresignedPutSpec, 'endpoint'>,
  saved: PendingGrant,
): string | undefined {
  if (saved.endpoint !== spec.endpoint) return "it was not granted by this target's endpoint";
  const problem = endpointProblem(saved.url);
  return problem === undefined ? undefined : `its URL ${problem}`;
}

/**
 * The URL an interrupted run was sending to, on the first attempt, so the same object is
 * written again (an expired one is answered 403 and replaced); otherwise a fresh URL, kept
 * durably before any byte goes out.
 */
async function grantFor(spec: PresignedPutSpec, upload: Upload): Promise<UrlGrant> {
  const saved = await upload.interruptedGrant();
  if (saved !== undefined) {
    const problem = savedGrantProblem(spec, saved);
    if (problem === undefined) {
      upload.ports.logger.info(
        { ...upload.log, remoteId: saved.remoteId },
        'resuming an interrupted upload with the URL it was given',
      );
      return { url: saved.url, remoteId: saved.remoteId };
    }
    // The fresh grant's save below replaces it.
    upload.ports.logger.warn(
      { ...upload.log, problem },
      'the saved URL of an interrupted upload is not used: asking for a fresh one',
    );
  }
  const grantRequest = templateRequest(spec, upload.variables, upload.token);
  upload.ports.logger.debug({ ...upload.log, endpoint: grantRequest.url }, 'requesting an upload URL');
  const answer = await request(upload, { method: 'POST', ...grantRequest });
  const grant = readGrant(spec, ensureOk(answer, 'url-request'));
  await upload.grant.save({ remoteId: grant.remoteId, url: grant.url, endpoint: spec.endpoint });
  return grant;
}

/** Every attempt asks for a URL and PUTs the file to it; the job shows each wait. */
function sendPresigned(spec: PresignedPutSpec, upload: Upload): Promise<string> {
  const { size } = upload;
  return upload.pacer.run(upload.jobPace, async (attempt) => {
    const grant = await grantFor(spec, upload);
    upload.started(size);
    const answer = await sendFile(
      upload,
      attempt,
      (stream) => ({
        method: 'PUT',
        url: grant.url,
        headers: { 'content-length': String(size), ...continueFor(size) },
        body: { stream, length: size },
      }),
      {
        onSent: (sent) => {
          upload.progress(sent);
        },
      },
    );
    ensureOk(answer, 'upload');
    return grant.remoteId;
  });
}

/** What a member of the family takes from a target's settings and its folder's fields. */
export interface PresignedMember {
  readonly config: ProfileConfigFacts;
  /** The body template of the first request; throws a `config` DeliveryError when it cannot be had. */
  body(name: string, target: TargetSettings, fields: Readonly<Record<string, string>>): JsonValue;
  /** Where the vendor reports the import of a delivered file, when it does. */
  readonly statusUrl?: (endpoint: string, remoteId: string) => string;
  /** Why asking for a URL is not harmless at this vendor; by default it is, and it is the test. */
  readonly untested?: string;
}

/**
 * A profile of the family. Asking for a presigned URL leaves nothing at most vendors (nothing
 * exists until bytes are PUT), so it is the connection test unless the member says otherwise.
 */
export function presignedProfile(member: PresignedMember): Protocol {
  return {
    config: member.config,
    maxBytes: SINGLE_PUT_LIMIT,
    resumes: 'same-url',
    bind(name, target, fields): BoundProtocol {
      const spec: PresignedPutSpec = {
        endpoint: target.endpoint,
        auth: target.auth.style,
        body: member.body(name, target, fields),
        urlPath: target.response?.url ?? 'url',
        idPath: target.response?.id ?? 'id',
      };
      const { statusUrl } = member;
      return {
        endpoint: spec.endpoint,
        send: (upload) => sendPresigned(spec, upload),
        ...(statusUrl === undefined
          ? {}
          : {
              statusRequest: (id: string, token: string) =>
                statusRequest(statusUrl(spec.endpoint, id), spec.auth, token),
            }),
        probe:
          member.untested === undefined
            ? {
                harmless: true,
                variables: templateVariables(spec.body),
                request: (variables, token) => templateRequest(spec, variables, token),
                check: (response) => {
                  readGrant(spec, response);
                },
              }
            : { harmless: false, reason: member.untested },
      };
    },
  };
}

/** A vendor no profile knows, described by templates: the request body and where url and id are. */
export const presignedPut = presignedProfile({
  config: { defaultAuth: 'auth-api-token', needsTemplates: true, largestFile: SINGLE_PUT_LIMIT },
  body: (name, target) => {
    if (target.request === undefined || target.response === undefined)
      throw new DeliveryError(
        'config',
        `target '${name}': the presigned-put profile needs request and response`,
      );
    return target.request.body;
  },
});
