import { describe, expect, it } from 'vitest';
import { withFolderFields } from '../../../src/engine/config/folder-fields.js';
import { validateConfig } from '../../../src/engine/config/validate-config.js';

const file = {
  targets: { a: { profile: 'analytics', endpoint: 'https://a.example/analytics/files/upload' } },
  folders: [
    { path: 'one', target: 'a', fields: { datasetType: 'orders', region: 'eu' } },
    { path: 'two', target: 'a' },
  ],
};

describe('withFolderFields', () => {
  it("adds the command line's fields to every folder, over the file's", () => {
    const merged = withFolderFields(file, { datasetType: 'transactions' });
    expect(merged.folders).toEqual([
      { path: 'one', target: 'a', fields: { datasetType: 'transactions', region: 'eu' } },
      { path: 'two', target: 'a', fields: { datasetType: 'transactions' } },
    ]);
    // The second folder could not fill {datasetType} on its own; now the file validates.
    expect(() => validateConfig(file)).toThrow('uses {datasetType} in its request body');
    expect(validateConfig(merged).folders).toHaveLength(2);
  });

  it('leaves the file as it is without fields, and leaves what is not a folder to the validator', () => {
    expect(withFolderFields(file, {})).toBe(file);
    expect(withFolderFields({ folders: 'none' }, { a: 'b' })).toEqual({ folders: 'none' });
    expect(withFolderFields({ folders: [3] }, { a: 'b' })).toEqual({ folders: [3] });
  });
});
