import type { Command } from 'commander';
import { Connection, resolveConnection } from './connection';
import { FleetjobsApiClient } from './http/fleetjobs-api.client';

/** A stream the CLI writes to (process.stdout in use, a buffer in specs). */
export interface Output {
  write(chunk: string | Uint8Array): boolean;
  once(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
}

/** Everything the commands touch outside themselves. */
export interface CliIo {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  readFile(path: string): Promise<string>;
  fetch: typeof globalThis.fetch;
  /** The package's version, for `--version`. */
  version?: string;
}

/** The options every command takes (declared once, on the program). */
export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

/** The API client for a command, from its `--url`/`--token` or the environment. */
export function apiFor(io: CliIo, command: Command): FleetjobsApiClient {
  const { url, token } = command.optsWithGlobals<GlobalOptions>();
  const connection: Connection = resolveConnection({ url, token }, io.env);
  return new FleetjobsApiClient(connection, io.fetch);
}

export function wantsJson(command: Command): boolean {
  return command.optsWithGlobals<GlobalOptions>().json === true;
}

/** Writes with backpressure: waits for `drain` when the stream asks to. */
export async function write(out: Output, chunk: string | Uint8Array): Promise<void> {
  if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

export function printJson(out: Output, value: unknown): Promise<void> {
  return write(out, `${JSON.stringify(value, null, 2)}\n`);
}

export const path = (strings: TemplateStringsArray, ...ids: string[]): string =>
  strings.reduce((text, part, i) => text + part + (i < ids.length ? encodeURIComponent(ids[i]) : ''), '');
