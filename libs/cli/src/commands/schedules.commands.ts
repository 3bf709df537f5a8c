import { Command } from 'commander';
import { apiFor, CliIo, path, printJson, wantsJson, write } from '../cli.io';
import { formatJobs, Job } from '../format/resource.format';
import { formatSchedule, formatSchedules, Schedule } from '../format/schedule.format';
import { listPages } from './list-pages';

type Api = ReturnType<typeof apiFor>;

/** A schedule's actions: what `schedules <action> <id>` says it does, and its request. */
const SCHEDULE_ACTIONS: [string, string, (api: Api, id: string) => Promise<Schedule>][] = [
  ['pause', 'pause a schedule: its pending next run is stopped and no run is made until it is resumed', (api, id) => api.json<Schedule>('POST', path`/api/schedules/${id}/pause`)],
  ['resume', 'resume a paused schedule: its next run is made for the next time it is due', (api, id) => api.json<Schedule>('POST', path`/api/schedules/${id}/resume`)],
];

/** `fleetjobs schedules …`: recurring schedules, made by creating a job whose schedule has a recurrence. */
export function schedulesCommand(io: CliIo): Command {
  const schedules = new Command('schedules').description('list, show, pause, resume and delete recurring schedules (create one with `jobs create` and a schedule.recurrence)');

  schedules
    .command('list')
    .description('list schedules, newest first')
    .option('--limit <n>', 'schedules per page')
    .option('--cursor <cursor>', 'the page after this cursor (printed under a page that has more)')
    .option('--all', 'every page')
    .action(async (options: { limit?: string; cursor?: string; all?: boolean }, command: Command) => {
      const query = new URLSearchParams();
      if (options.limit) query.set('limit', options.limit);
      await listPages<Schedule>(io, command, apiFor(io, command), `/api/schedules${query.size ? `?${query}` : ''}`, options, formatSchedules);
    });

  schedules
    .command('get')
    .description('show one schedule: what it repeats, its next run and its runs so far')
    .argument('<id>', 'the schedule id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const schedule = await apiFor(io, command).json<Schedule>('GET', path`/api/schedules/${id}`);
      await (wantsJson(command) ? printJson(io.stdout, schedule) : write(io.stdout, formatSchedule(schedule)));
    });

  schedules
    .command('runs')
    .description('the jobs a schedule has made, newest first')
    .argument('<id>', 'the schedule id')
    .option('--limit <n>', 'jobs per page')
    .option('--cursor <cursor>', 'the page after this cursor')
    .option('--all', 'every page')
    .action(async (id: string, options: { limit?: string; cursor?: string; all?: boolean }, command: Command) => {
      const query = new URLSearchParams({ scheduleId: id });
      if (options.limit) query.set('limit', options.limit);
      await listPages<Job>(io, command, apiFor(io, command), `/api/jobs?${query}`, options, formatJobs);
    });

  for (const [action, description, request] of SCHEDULE_ACTIONS) {
    schedules
      .command(action)
      .description(description)
      .argument('<id>', 'the schedule id')
      .action(async (id: string, _options: unknown, command: Command) => {
        const schedule = await request(apiFor(io, command), id);
        await (wantsJson(command) ? printJson(io.stdout, schedule) : write(io.stdout, `schedule ${schedule.id} ${schedule.status}\n`));
      });
  }

  schedules
    .command('delete')
    .description('delete a schedule: its pending next run is stopped; its runs stay in the jobs\' history')
    .argument('<id>', 'the schedule id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await apiFor(io, command).json<null>('DELETE', path`/api/schedules/${id}`);
      await (wantsJson(command) ? printJson(io.stdout, { id, deleted: true }) : write(io.stdout, `schedule ${id} deleted\n`));
    });

  return schedules;
}
