import { Command } from 'commander';
import { UsageError } from '../cli.errors';
import { apiFor, CliIo, printJson, wantsJson, write } from '../cli.io';
import { formatDeviceSets, DeviceSet } from '../format/resource.format';
import { parseDeviceFile } from '../input/device-file.parser';
import { listPages } from './list-pages';
import { readText } from './read-file';

/** Devices one `POST /api/devices/batch` takes (PRODUCT.md §2). */
export const BATCH_SIZE = 10_000;

/** `fleetjobs devices …` */
export function devicesCommand(io: CliIo): Command {
  const devices = new Command('devices').description('manage devices');
  devices
    .command('import')
    .description(
      'create or update devices from a CSV or JSON file (POST /api/devices/batch, 10,000 a call, each call all or nothing), ' +
        'or with --from-hub import the devices already registered in the hub (POST /api/devices/import)',
    )
    .argument('[file]', 'devices.csv (columns id,displayName,template[,tags][,tags.<name>...]) or devices.json ([...] or {"devices": [...]}); - reads stdin')
    .option('--from-hub', 'import the hub\'s registered devices instead of a file')
    .action(async (file: string | undefined, options: { fromHub?: boolean }, command: Command) => {
      const api = apiFor(io, command);
      const json = wantsJson(command);
      if (options.fromHub) {
        if (file) throw new UsageError('--from-hub', 'takes no file');
        const result = await api.json<{ imported: number; skipped: number }>('POST', '/api/devices/import');
        return json ? printJson(io.stdout, result) : write(io.stdout, `imported ${result.imported} devices from the hub, skipped ${result.skipped}\n`);
      }
      if (!file) throw new UsageError('file', 'name a CSV or JSON file of devices, or give --from-hub');
      const list = parseDeviceFile(file, await readText(io, file === '-' ? '/dev/stdin' : file, 'file'));
      if (list.length === 0) throw new UsageError(file, 'holds no devices');
      const total = { created: 0, updated: 0 };
      for (let start = 0; start < list.length; start += BATCH_SIZE) {
        const result = await api.json<{ created: number; updated: number }>('POST', '/api/devices/batch', { devices: list.slice(start, start + BATCH_SIZE) });
        total.created += result.created;
        total.updated += result.updated;
      }
      return json ? printJson(io.stdout, total) : write(io.stdout, `${list.length} devices written: ${total.created} created, ${total.updated} updated\n`);
    });
  return devices;
}

/** `fleetjobs sets …` */
export function setsCommand(io: CliIo): Command {
  const sets = new Command('sets').description('device sets');
  sets
    .command('list')
    .description('list device sets, with their conditions and whether they are broken')
    .option('--limit <n>', 'sets per page')
    .option('--cursor <cursor>', 'the page after this cursor')
    .option('--all', 'every page')
    .action(async (options: { limit?: string; cursor?: string; all?: boolean }, command: Command) => {
      const list = `/api/device-sets${options.limit ? `?limit=${encodeURIComponent(options.limit)}` : ''}`;
      await listPages<DeviceSet>(io, command, apiFor(io, command), list, options, formatDeviceSets);
    });
  return sets;
}
