import { createLogger } from '@fleetjobs/http-kit';

/** The simulator's log: pino JSON lines, as every Fleetjobs process writes them. */
export const simulatorLogger = createLogger('hub-simulator');
