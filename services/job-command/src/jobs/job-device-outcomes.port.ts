/** The read model's knowledge of a finished job's devices, page by page in device id order. */
export interface JobDeviceOutcomes {
  /** The ids of the job's devices (only those with `status`, when given), one page at a time. */
  deviceIds(jobId: string, status?: 'failed'): AsyncIterable<string[]>;
}
