import type { Command } from 'commander';
import { UsageError } from '../cli.errors';
import { CliIo, printJson, wantsJson, write } from '../cli.io';
import type { FleetjobsApiClient } from '../http/fleetjobs-api.client';

/** One page (with a hint to the next) or, with `--all`, every page; `--json` prints the page as the API answers it. */
export async function listPages<T>(
  io: CliIo,
  command: Command,
  api: FleetjobsApiClient,
  list: string,
  options: { cursor?: string; all?: boolean },
  format: (rows: T[]) => string,
): Promise<void> {
  if (options.all && options.cursor) throw new UsageError('--cursor', 'cannot be given with --all');
  const separator = list.includes('?') ? '&' : '?';
  let page: { value: T[]; nextCursor: string | null };
  if (options.all) {
    const value: T[] = [];
    for await (const items of api.pages<T>(list)) value.push(...items);
    page = { value, nextCursor: null };
  } else {
    page = await api.json('GET', options.cursor ? `${list}${separator}cursor=${encodeURIComponent(options.cursor)}` : list);
  }
  if (wantsJson(command)) return printJson(io.stdout, page);
  await write(io.stdout, format(page.value));
  if (page.nextCursor) await write(io.stderr, `more: --cursor ${page.nextCursor} (or --all)\n`);
}
