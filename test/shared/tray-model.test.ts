import { describe, expect, it } from 'vitest';
import type { AgentSummary } from '../../src/shared/agent-summary.js';
import {
  sameTrayModel,
  statusLine,
  trayIconFile,
  trayModel,
  trayRedraw,
  trayState,
  type TrayFace,
} from '../../src/shared/tray-model.js';

const idle: AgentSummary = {
  counts: { completed: 40 },
  paused: false,
  tokenRejected: [],
  offline: false,
  offlineTargets: [],
  bytesPerSecond: 0,
  recent: [],
  folders: ['/data/outbox'],
  missingFolders: [],
  lateExpectations: [],
};

const summary = (changes: Partial<AgentSummary>): AgentSummary => ({ ...idle, ...changes });

describe('tray state and status line', () => {
  it.each([
    [idle, 'idle', 'All delivered'],
    [
      summary({ counts: { uploading: 3, queued: 9, completed: 2 }, bytesPerSecond: 45 * 1024 ** 2 }),
      'delivering',
      'Delivering 3 of 12 · 45 MiB/s',
    ],
    [summary({ counts: { 'waiting-for-write': 1 } }), 'delivering', 'Delivering 0 of 1'],
    [summary({ counts: { failed: 1, rejected: 1, uploading: 2 } }), 'attention', '2 files need attention'],
    [summary({ counts: { failed: 1 } }), 'attention', '1 file needs attention'],
    [summary({ tokenRejected: ['vendor'], counts: { queued: 4 } }), 'attention', 'Token rejected for vendor'],
    [summary({ paused: true, counts: { paused: 2, queued: 1 } }), 'paused', 'Paused · 3 files waiting'],
    [summary({ offline: true, counts: { 'retry-wait': 5 } }), 'offline', 'Offline — waiting (5 files)'],
    [
      summary({ offline: true, offlineTargets: ['lexer'], counts: { 'retry-wait': 4, queued: 1 } }),
      'offline',
      'Offline — waiting for lexer (5 files)',
    ],
    [summary({ offline: true }), 'idle', 'All delivered'],
    [summary({ counts: {} }), 'idle', 'Watching — nothing to deliver yet'],
    [summary({ counts: {}, folders: [] }), 'idle', 'No folder watched yet'],
    [summary({ missingFolders: ['/data/outbox'] }), 'attention', 'Folder missing: /data/outbox'],
    [
      summary({ folders: ['/a', '/b', '/c'], missingFolders: ['/a', '/c'], counts: { queued: 2 } }),
      'attention',
      '2 folders missing',
    ],
    // A missing folder outranks failed files (they have rows), a refused token outranks it.
    [
      summary({ missingFolders: ['/data/outbox'], counts: { failed: 3 } }),
      'attention',
      'Folder missing: /data/outbox',
    ],
    [
      summary({ missingFolders: ['/data/outbox'], tokenRejected: ['vendor'] }),
      'attention',
      'Token rejected for vendor',
    ],
    [
      summary({ missingFolders: ['/data/outbox'], paused: true, offline: true, counts: { paused: 1 } }),
      'attention',
      'Folder missing: /data/outbox',
    ],
  ] as const)('%#: %s → %s, "%s"', (input, state, line) => {
    expect(trayState(input)).toBe(state);
    expect(statusLine(input)).toBe(line);
  });
});

describe('trayModel', () => {
  it('lays out the menu with the last five deliveries and a pause action', () => {
    const recent = Array.from({ length: 7 }, (_, i) => ({
      jobId: `j${i}`,
      file: `f${i}-2024-01-01-1.csv`,
      at: i,
    }));
    const model = trayModel(summary({ counts: { uploading: 1 }, recent }));
    expect(model.state).toBe('delivering');
    expect(model.badge).toBe(1);
    expect(model.tooltip).toBe('Ferry — Delivering 1 of 1');
    expect(model.menu).toEqual([
      { kind: 'status', label: 'Delivering 1 of 1' },
      { kind: 'action', action: 'open', label: 'Open Ferry' },
      { kind: 'action', action: 'pause', label: 'Pause' },
      { kind: 'separator' },
      ...recent.slice(0, 5).map((r) => ({ kind: 'show-job', jobId: r.jobId, label: r.file })),
      { kind: 'separator' },
      { kind: 'open-folder', folder: '/data/outbox', label: 'Open watched folder' },
      { kind: 'action', action: 'upload-file', label: 'Upload a file…' },
      { kind: 'action', action: 'settings', label: 'Settings…' },
      { kind: 'separator' },
      { kind: 'action', action: 'quit', label: 'Quit Ferry' },
    ]);
  });

  it('offers Resume when paused and names each folder when there are several', () => {
    const model = trayModel(summary({ paused: true, folders: ['/a', '/b'] }));
    expect(model.menu).toContainEqual({ kind: 'action', action: 'resume', label: 'Resume' });
    expect(model.menu).not.toContainEqual(expect.objectContaining({ action: 'pause' }));
    expect(model.menu.filter((i) => i.kind === 'open-folder').map((i) => i.label)).toEqual([
      'Open /a',
      'Open /b',
    ]);
  });

  it('says a missing folder at the head of the menu and in the tooltip', () => {
    const model = trayModel(summary({ missingFolders: ['/data/outbox'] }));
    expect(model.state).toBe('attention');
    expect(model.tooltip).toBe('Ferry — Folder missing: /data/outbox');
    expect(model.menu[0]).toEqual({ kind: 'status', label: 'Folder missing: /data/outbox' });
  });

  it('badges the number of files needing attention', () => {
    expect(trayModel(summary({ counts: { failed: 2, rejected: 1 } })).badge).toBe(3);
    expect(trayModel(idle).badge).toBe(0);
  });
});

describe('sameTrayModel', () => {
  it('holds models built from summaries that show the same to be the same', () => {
    const delivering = summary({ counts: { uploading: 1 }, recent: [{ jobId: 'j1', file: 'a.csv', at: 1 }] });
    expect(sameTrayModel(trayModel(delivering), trayModel({ ...delivering, counts: { uploading: 1 } }))).toBe(
      true,
    );
    // A new job in flight is a new status line; a new last delivery, a new menu item.
    expect(sameTrayModel(trayModel(delivering), trayModel({ ...delivering, counts: { uploading: 2 } }))).toBe(
      false,
    );
    expect(
      sameTrayModel(
        trayModel(delivering),
        trayModel({ ...delivering, recent: [{ jobId: 'j2', file: 'a.csv', at: 2 }] }),
      ),
    ).toBe(false);
    expect(sameTrayModel(trayModel(idle), trayModel(summary({ paused: true, counts: {} })))).toBe(false);
  });
});

describe('trayRedraw', () => {
  const face = (model = trayModel(idle), icon = 'tray/idle-light.png'): TrayFace => ({
    icon,
    tooltip: model.tooltip,
    menu: model.menu,
  });

  it('draws every part the first time', () => {
    expect(trayRedraw(undefined, face())).toEqual(face());
  });

  it('redraws nothing when nothing changed, even from a model built afresh', () => {
    expect(trayRedraw(face(), face(trayModel({ ...idle, folders: ['/data/outbox'] })))).toEqual({});
  });

  it('redraws only the parts that changed', () => {
    const delivering = trayModel(summary({ counts: { uploading: 1 } }));
    const faster = trayModel(summary({ counts: { uploading: 1 }, bytesPerSecond: 2048 }));
    // The icon follows the state (and the theme); the line, the tooltip and the menu follow the rate.
    expect(trayRedraw(face(), face(delivering, 'tray/delivering-light.png'))).toEqual(
      face(delivering, 'tray/delivering-light.png'),
    );
    expect(
      trayRedraw(face(delivering, 'tray/delivering-light.png'), face(faster, 'tray/delivering-light.png')),
    ).toEqual({ tooltip: faster.tooltip, menu: faster.menu });
    expect(trayRedraw(face(), face(trayModel(idle), 'tray/idle-dark.png'))).toEqual({
      icon: 'tray/idle-dark.png',
    });
  });
});

describe('trayIconFile', () => {
  it.each([
    ['attention', 'darwin', false, 'tray/attentionTemplate.png'],
    ['idle', 'win32', true, 'tray/idle.ico'],
    ['delivering', 'linux', true, 'tray/delivering-dark.png'],
    ['paused', 'linux', false, 'tray/paused-light.png'],
  ] as const)('%s on %s (dark %s) → %s', (state, platform, dark, file) => {
    expect(trayIconFile(state, platform, dark)).toBe(file);
  });
});

describe('late expected files in the tray', () => {
  const late = {
    folder: '/data/outbox',
    descriptor: 'customers',
    date: '2026-12-03',
    due: 0,
    state: 'late',
    cause: 'no-file',
    reason: 'no customers file dated 2026-12-03 in /data/outbox',
  } as const;

  it('are attention, named in the status line after a missing folder and before failed files', () => {
    const one = summary({ lateExpectations: [late], counts: { failed: 2 } });
    expect(trayState(one)).toBe('attention');
    expect(statusLine(one)).toBe(
      'customers for 2026-12-03 is late: no customers file dated 2026-12-03 in /data/outbox',
    );
    expect(trayModel(one).badge).toBe(3);
    const two = summary({ lateExpectations: [late, { ...late, descriptor: 'orders' }] });
    expect(statusLine(two)).toBe('2 expected files are late');
    expect(statusLine(summary({ lateExpectations: [late], missingFolders: ['/x'] }))).toBe(
      'Folder missing: /x',
    );
  });
});
