import { HubSimulatorAdminClient, LoggedOperation } from '@fleetjobs/hub-simulator';

/** Every operation the hub simulator logged that matches, read page by page. */
export async function allHubOperations(
  hub: HubSimulatorAdminClient,
  query: { deviceId?: string; kind?: string },
): Promise<LoggedOperation[]> {
  const operations: LoggedOperation[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await hub.operations({ ...query, afterSeq, limit: 5000 });
    operations.push(...page);
    if (page.length < 5000) return operations;
    afterSeq = page[page.length - 1].seq;
  }
}
