/** A connection string fit for logs: every `SharedAccessKey` value (and a whole `SharedAccessSignature`) replaced. */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/((?:^|;)\s*(?:SharedAccessKey|SharedAccessSignature)\s*=)[^;]*/gi, '$1<redacted>');
}
