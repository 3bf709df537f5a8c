/** One line of figures per scenario, for the run's closing note. */
export function reportFigures(scenario: string, figures: Record<string, number | string>, startedAt: number): void {
  const parts = Object.entries(figures).map(([name, value]) => `${name} ${value}`);
  process.stdout.write(`[faults] ${scenario}: ${parts.join(', ')}, ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
}

/** A counter of a service's Prometheus text, summed over its labels. */
export async function metricTotal(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
