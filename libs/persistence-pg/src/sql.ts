// The SQL helpers live in @fleetjobs/sql, below the event log, which uses them too.
export * from '@fleetjobs/sql';
