import { Command, CommanderError } from 'commander';
import { EXIT, UsageError } from './cli.errors';
import { CliIo } from './cli.io';
import { devicesCommand, setsCommand } from './commands/devices.commands';
import { jobsCommand } from './commands/jobs.commands';
import { schedulesCommand } from './commands/schedules.commands';
import { describeError } from './format/error.format';

const HELP_AFTER = `
Environment:
  FLEETJOBS_URL    the API's address (default http://localhost:3000); --url wins
  FLEETJOBS_TOKEN  the bearer token (an API token fjt_…); --token wins

Exit codes:
  0  success (jobs watch: the job completed)
  1  the API refused the request (the problem's title, detail and fields are printed) or could not be reached
  2  bad usage: an unknown flag, a missing argument, an unreadable file
  3  jobs watch: the job failed
  4  jobs watch: the job was stopped`;

/** The `fleetjobs` command line; `run` parses argv and answers the exit code. */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('fleetjobs')
    .version(io.version ?? 'unknown', '-V, --version', 'print the version of fleetjobs')
    .description('Fleetjobs from the command line: bulk device jobs for IoT fleets')
    .option('--url <url>', 'the API address (or FLEETJOBS_URL)')
    .option('--token <token>', 'the bearer token (or FLEETJOBS_TOKEN)')
    .option('--json', 'print machine-readable JSON instead of text')
    .addHelpText('after', HELP_AFTER)
    .configureHelp({ showGlobalOptions: true });
  for (const command of [jobsCommand(io, setExitCode), schedulesCommand(io), devicesCommand(io), setsCommand(io)]) program.addCommand(command);
  // Every level exits through `run`, not process.exit, and the global options are shown in each help.
  const configure = (command: Command) => {
    command
      .exitOverride()
      .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
      .configureHelp({ showGlobalOptions: true })
      .showHelpAfterError();
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    for (const line of describeError(error)) io.stderr.write(`${line}\n`);
    return error instanceof UsageError ? EXIT.usage : EXIT.error;
  }
}
