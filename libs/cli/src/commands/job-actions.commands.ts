import type { ApiSchema } from '@fleetjobs/contracts';
import { Command } from 'commander';
import { apiFor, CliIo, path, printJson, wantsJson, write } from '../cli.io';
import { AcceptedJob, Job } from '../format/resource.format';
import { formatPreview } from '../format/preview.format';
import { jobBody, JobFlags } from '../input/job-body.parser';
import { readJsonFile } from './read-file';

type JobPreview = ApiSchema<'JobPreview'>;

const collect = (value: string, previous: string[]) => [...previous, value];

type Api = ReturnType<typeof apiFor>;

/** A job's lifecycle actions: what `jobs <action> <id>` says it does, and its request. */
const LIFECYCLE_ACTIONS: [string, string, (api: Api, id: string) => Promise<Job>][] = [
  ['approve', 'approve a job awaiting approval (by someone other than its creator); it starts', (api, id) => api.json<Job>('POST', path`/api/jobs/${id}/approve`)],
  ['pause', 'pause a running job: devices in flight finish, no new device starts', (api, id) => api.json<Job>('POST', path`/api/jobs/${id}/pause`)],
  ['resume', 'resume a paused job', (api, id) => api.json<Job>('POST', path`/api/jobs/${id}/resume`)],
];

/** `jobs approve|pause|resume|rerun|revert|preview`: the job actions beyond create, watch and stop. */
export function addJobActions(jobs: Command, io: CliIo): void {
  for (const [action, description, request] of LIFECYCLE_ACTIONS) {
    jobs
      .command(action)
      .description(description)
      .argument('<id>', 'the job id')
      .action(async (id: string, _options: unknown, command: Command) => {
        const job = await request(apiFor(io, command), id);
        await (wantsJson(command) ? printJson(io.stdout, job) : write(io.stdout, `job ${job.id} ${job.status}\n`));
      });
  }

  jobs
    .command('rerun')
    .description('run an ended job again as a new job linked to it: on its failed devices (default), all of them, or the ones named')
    .argument('<id>', 'the ended job')
    .option('--devices <failed|all|ids>', 'failed, all, or device ids (comma-separated)', 'failed')
    .option('--id <newId>', 'the new job\'s id (repeating the command is then harmless)')
    .action(async (id: string, options: { devices: string; id?: string }, command: Command) => {
      const devices = options.devices === 'failed' || options.devices === 'all' ? options.devices : options.devices.split(',').map((device) => device.trim()).filter(Boolean);
      const body = { devices, ...(options.id ? { id: options.id } : {}) };
      await printCreated(io, command, await apiFor(io, command).json<AcceptedJob>('POST', path`/api/jobs/${id}/rerun`, body), `rerun of ${id}`);
    });

  jobs
    .command('revert')
    .description('put back, device by device, the values an ended property or setting job replaced: a new job linked to it')
    .argument('<id>', 'the ended job')
    .option('--id <newId>', 'the revert job\'s id (repeating the command is then harmless)')
    .action(async (id: string, options: { id?: string }, command: Command) => {
      const body = options.id ? { id: options.id } : {};
      await printCreated(io, command, await apiFor(io, command).json<AcceptedJob>('POST', path`/api/jobs/${id}/revert`, body), `revert of ${id}`);
    });

  jobs
    .command('preview')
    .description('what a job would do, without creating it: its devices per template, an ETA, overlapping active jobs and what a conflict would do')
    .option('-f, --file <job.json>', 'a JSON file with the job body')
    .option('--name <displayName>', 'the job\'s display name')
    .option('--description <text>', 'what the job is for')
    .option('--set <deviceSet>', 'the device set the job runs on')
    .option('--device <ids>', 'a device of the set to run on (repeat or comma-separate)', collect, [])
    .option('--operation <type:name=value>', 'an operation, as for `jobs create` (repeatable)', collect, [])
    .action(async (options: JobFlags & { file?: string }, command: Command) => {
      const body = jobBody(options.file === undefined ? undefined : await readJsonFile(io, options.file, '--file'), options);
      const preview = await apiFor(io, command).json<JobPreview>('POST', '/api/jobs/preview', body);
      await (wantsJson(command) ? printJson(io.stdout, preview) : write(io.stdout, formatPreview(preview)));
    });
}

async function printCreated(io: CliIo, command: Command, created: AcceptedJob, what: string): Promise<void> {
  if (wantsJson(command)) await printJson(io.stdout, created);
  else await write(io.stdout, `job ${created.id} created (${created.status}), ${what}\n`);
}
