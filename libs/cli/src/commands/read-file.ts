import { UsageError } from '../cli.errors';
import type { CliIo } from '../cli.io';

/** A file's text; a file that cannot be read is a usage error naming the flag. */
export async function readText(io: CliIo, file: string, flag: string): Promise<string> {
  try {
    return await io.readFile(file);
  } catch (error) {
    throw new UsageError(flag, `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export async function readJsonFile(io: CliIo, file: string, flag: string): Promise<unknown> {
  const text = await readText(io, file, flag);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(flag, `${file} is not JSON (${(error as Error).message})`);
  }
}
