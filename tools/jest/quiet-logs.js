// Tests read structured logs only when something goes wrong: warnings and errors are enough.
process.env.LOG_LEVEL ??= 'warn';
