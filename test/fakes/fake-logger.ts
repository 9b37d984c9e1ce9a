import type { LogFields, Logger } from '../../src/engine/ports.js';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: LogFields;
  readonly message: string;
}

/** Keeps every log call, so tests can check what was said and that no secret was. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];

  debug(fields: LogFields, message: string): void {
    this.entries.push({ level: 'debug', fields, message });
  }
  info(fields: LogFields, message: string): void {
    this.entries.push({ level: 'info', fields, message });
  }
  warn(fields: LogFields, message: string): void {
    this.entries.push({ level: 'warn', fields, message });
  }
  error(fields: LogFields, message: string): void {
    this.entries.push({ level: 'error', fields, message });
  }

  ofLevel(level: LogEntry['level']): LogEntry[] {
    return this.entries.filter((e) => e.level === level);
  }
}
