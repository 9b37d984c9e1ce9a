import { describe, expect, it } from 'vitest';
import { bodyTemplate, PROTOCOLS } from '../../../src/engine/protocols/registry.js';
import { AUTH_STYLES, PROFILES, SINGLE_PUT_LIMIT } from '../../../src/shared/config.js';

const PROFILE_CONFIG = Object.fromEntries(Object.entries(PROTOCOLS).map(([name, p]) => [name, p.config]));

describe('the profile facts the config is checked against', () => {
  it('has one protocol for every profile and nothing else', () => {
    expect(Object.keys(PROTOCOLS).sort()).toEqual([...PROFILES].sort());
    for (const facts of Object.values(PROFILE_CONFIG)) expect(AUTH_STYLES).toContain(facts.defaultAuth);
  });

  it('gives a documented body to the profiles whose vendor documents one, and asks the others for templates', () => {
    for (const [profile, facts] of Object.entries(PROFILE_CONFIG)) {
      // A profile either knows its vendor's first request or needs the target to describe it.
      expect([profile, facts.needsTemplates]).toEqual([profile, profile === 'presigned-put']);
    }
    expect(bodyTemplate({ profile: 'lexer' })).toEqual({ filename: '{filename}' });
    expect(bodyTemplate({ profile: 'analytics' })).toEqual({
      datasetType: '{datasetType}',
      file: { name: '{filename}', type: '{type}' },
    });
    expect(bodyTemplate({ profile: 'form' })).toBeUndefined();
    expect(bodyTemplate({ profile: 'lexer', request: { body: { name: '{filename}' } } })).toEqual({
      name: '{filename}',
    });
  });

  it('holds single-PUT profiles to the single-PUT limit, and only them', () => {
    expect(PROTOCOLS.lexer.config.largestFile).toBe(SINGLE_PUT_LIMIT);
    expect(PROTOCOLS['presigned-put'].config.largestFile).toBe(SINGLE_PUT_LIMIT);
    expect(PROTOCOLS['s3-multipart'].config.largestFile).toBeUndefined();
    expect(PROTOCOLS.form.config.defaultAuth).toBe('bearer');
  });
});
