import { DEVICE_JOB_STATUSES, JOB_STATUSES } from '@fleetjobs/contracts';
import { Command, Option } from 'commander';
import { apiFor, CliIo, path, printJson, wantsJson, write } from '../cli.io';
import { AcceptedJob, formatJob, formatJobDevices, formatJobs, Job, JobDevice } from '../format/resource.format';
import { jobBody, JobFlags } from '../input/job-body.parser';
import { addJobActions } from './job-actions.commands';
import { exitCodeOf, watchJob } from './job-watch.command';
import { listPages } from './list-pages';
import { readJsonFile } from './read-file';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `fleetjobs jobs …`; `setExitCode` receives the code `jobs watch` ends with. */
export function jobsCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const jobs = new Command('jobs').description('create, preview, list, watch, pause, resume, approve, stop, rerun and revert jobs');

  jobs
    .command('create')
    .description('create and run a job, from flags or a JSON file (the body of PUT /api/jobs/{id}); flags replace the file\'s fields')
    .option('--id <id>', 'the job id (PUT: repeating the same command is harmless); default, one chosen by the server')
    .option('-f, --file <job.json>', 'a JSON file with the job body')
    .option('--name <displayName>', 'the job\'s display name')
    .option('--description <text>', 'what the job is for')
    .option('--set <deviceSet>', 'the device set the job runs on')
    .option('--device <ids>', 'a device of the set to run on (repeat or comma-separate); default, every device of the set', collect, [])
    .option('--operation <type:name=value>', 'an operation, e.g. setting:fanSpeed=5, property:location="Dock 4", command:reboot (repeatable)', collect, [])
    .option('--watch', 'then watch the job until it ends (exit code as `jobs watch`)')
    .action(async (options: JobFlags & { id?: string; file?: string; watch?: boolean }, command: Command) => {
      const api = apiFor(io, command);
      const body = jobBody(options.file === undefined ? undefined : await readJsonFile(io, options.file, '--file'), options);
      const created = options.id
        ? await api.json<AcceptedJob>('PUT', path`/api/jobs/${options.id}`, body)
        : await api.json<AcceptedJob>('POST', '/api/jobs', body);
      const json = wantsJson(command);
      if (json && !options.watch) await printJson(io.stdout, created);
      else if (!json) await write(io.stdout, `job ${created.id} created (${created.status})\n`);
      if (options.watch) setExitCode(exitCodeOf((await watchJob(api, io, created.id, json)).status));
    });

  jobs
    .command('list')
    .description('list jobs: running first, then newest first')
    .addOption(new Option('--status <status>', 'only jobs with this status').choices(JOB_STATUSES))
    .option('--limit <n>', 'jobs per page')
    .option('--cursor <cursor>', 'the page after this cursor (printed under a page that has more)')
    .option('--all', 'every page')
    .action(async (options: { status?: string; limit?: string; cursor?: string; all?: boolean }, command: Command) => {
      const api = apiFor(io, command);
      const query = new URLSearchParams();
      if (options.status) query.set('status', options.status);
      if (options.limit) query.set('limit', options.limit);
      const list = `/api/jobs${query.size ? `?${query}` : ''}`;
      await listPages<Job>(io, command, api, list, options, formatJobs);
    });

  jobs
    .command('get')
    .description('show one job: definition, status, timestamps, device counts')
    .argument('<id>', 'the job id')
    .option('--at <time>', 'the job as it was at this moment (an ISO time), from its events')
    .action(async (id: string, options: { at?: string }, command: Command) => {
      const job = await apiFor(io, command).json<Job>('GET', `${path`/api/jobs/${id}`}${atQuery(options.at)}`);
      await (wantsJson(command) ? printJson(io.stdout, job) : write(io.stdout, formatJob(job)));
    });

  jobs
    .command('watch')
    .description('follow a job live until it ends; exit code 0 completed, 3 failed, 4 stopped')
    .argument('<id>', 'the job id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const job = await watchJob(apiFor(io, command), io, id, wantsJson(command));
      setExitCode(exitCodeOf(job.status));
    });

  jobs
    .command('stop')
    .description('stop a pending or running job; no device operation starts after the answer')
    .argument('<id>', 'the job id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const job = await apiFor(io, command).json<Job>('POST', path`/api/jobs/${id}/stop`);
      await (wantsJson(command) ? printJson(io.stdout, job) : write(io.stdout, `job ${job.id} ${job.status}\n`));
    });

  jobs
    .command('devices')
    .description('the devices of a job; csv and ndjson stream every device as the server sends it')
    .argument('<id>', 'the job id')
    .addOption(new Option('--status <status>', 'only devices with this status').choices(DEVICE_JOB_STATUSES))
    .option('--search <text>', 'only devices whose id or name contains this')
    .option('--at <time>', 'each device as it was at this moment (an ISO time), from the job\'s events')
    .addOption(new Option('-o, --output <format>', 'table (default), json, csv or ndjson').choices(['table', 'json', 'csv', 'ndjson']))
    .action(async (id: string, options: { status?: string; search?: string; at?: string; output?: string }, command: Command) => {
      const api = apiFor(io, command);
      const query = new URLSearchParams();
      if (options.status) query.set('status', options.status);
      if (options.search) query.set('search', options.search);
      if (options.at) query.set('at', options.at);
      const list = `${path`/api/jobs/${id}/devices`}${query.size ? `?${query}` : ''}`;
      const output = options.output ?? (wantsJson(command) ? 'json' : 'table');
      if (output === 'csv' || output === 'ndjson') {
        const response = await api.open(list, output === 'csv' ? 'text/csv' : 'application/x-ndjson');
        if (!response.body) return;
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) await write(io.stdout, chunk);
      } else if (output === 'json') {
        let first = true;
        await write(io.stdout, '[');
        for await (const page of api.pages<JobDevice>(list)) {
          for (const device of page) {
            await write(io.stdout, `${first ? '\n' : ',\n'}  ${JSON.stringify(device)}`);
            first = false;
          }
        }
        await write(io.stdout, first ? ']\n' : '\n]\n');
      } else {
        const devices: JobDevice[] = [];
        for await (const page of api.pages<JobDevice>(list)) devices.push(...page);
        await write(io.stdout, formatJobDevices(devices));
      }
    });

  addJobActions(jobs, io);
  return jobs;
}

const atQuery = (at: string | undefined) => (at ? `?${new URLSearchParams({ at })}` : '');
