import { ApiProblem, networkProblem, problemFromResponse } from './api-problem';
import type {
  AuditEntry,
  AuditQuery,
  Device,
  DeviceBody,
  DeviceSet,
  DeviceSetBody,
  DeviceTemplate,
  DeviceTemplateBody,
  Job,
  JobDevice,
  JobDeviceStatus,
  JobStatus,
  NewJob,
  Page,
  PageQuery,
  Schedule,
} from './fleetjobs-api.types';
import type { AuthConfig } from '../auth/session.store';
import type { Me } from '../auth/roles';
import { FetchEventStream, JobEventStream } from './fetch-event-stream';

type Query = Record<string, string | number | null | undefined>;

function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

const segment = encodeURIComponent;

/** Who the client speaks for: the bearer credential of each call, and what a refused credential (401) does. */
export interface ApiCredentials {
  bearer: () => string | undefined;
  unauthorized: (problem: ApiProblem) => void;
}

interface RequestOptions {
  /** A credential to try instead of the signed-in one; its 401 is the caller's to handle. */
  bearer?: string;
}

/**
 * Typed client of the Fleetjobs REST API. Every call carries `Authorization: Bearer <credential>`
 * when someone is signed in; a 401 tells the credentials' owner (the dashboard then asks to sign in
 * again). Every failure rejects with an `ApiProblem`: the API's problem document, or status 0 when
 * the API cannot be reached.
 */
export class FleetjobsApiClient {
  private credentials: ApiCredentials = { bearer: () => undefined, unauthorized: () => undefined };

  constructor(private readonly baseUrl = '') {}

  useCredentials(credentials: ApiCredentials): void {
    this.credentials = credentials;
  }

  /** The headers that authenticate a call: none when no one is signed in. */
  authorizationHeaders(bearer = this.credentials.bearer()): Record<string, string> {
    return bearer ? { authorization: `Bearer ${bearer}` } : {};
  }

  /** Tells the credentials' owner that the API refused the signed-in credential. */
  refused(problem: ApiProblem): void {
    this.credentials.unauthorized(problem);
  }

  private async request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<{ data: T; response: Response }> {
    let response: Response;
    const headers: Record<string, string> = { accept: 'application/json', ...this.authorizationHeaders(options.bearer ?? this.credentials.bearer()) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      response = await globalThis.fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw networkProblem(error);
    }
    if (!response.ok) {
      const problem = await problemFromResponse(response);
      if (problem.status === 401 && options.bearer === undefined) this.refused(problem);
      throw problem;
    }
    const text = await response.text();
    return { data: (text ? JSON.parse(text) : null) as T, response };
  }

  private async get<T>(path: string): Promise<T> {
    return (await this.request<T>('GET', path)).data;
  }

  private async put<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>('PUT', path, body)).data;
  }

  private async delete(path: string): Promise<void> {
    await this.request<unknown>('DELETE', path);
  }

  /** How the dashboard signs in (public: no credential needed). */
  getAuthConfig(): Promise<AuthConfig> {
    return this.request<AuthConfig>('GET', '/api/auth/config').then(({ data }) => data);
  }
  /** The caller as the API knows them; `bearer` checks a credential before signing in with it. */
  getMe(bearer?: string): Promise<Me> {
    return this.request<Me>('GET', '/api/me', undefined, { bearer }).then(({ data }) => data);
  }

  listTemplates(query: PageQuery = {}): Promise<Page<DeviceTemplate>> {
    return this.get(withQuery('/api/device-templates', { ...query }));
  }
  getTemplate(id: string): Promise<DeviceTemplate> {
    return this.get(`/api/device-templates/${segment(id)}`);
  }
  putTemplate(id: string, body: DeviceTemplateBody): Promise<DeviceTemplate | null> {
    return this.put(`/api/device-templates/${segment(id)}`, body);
  }
  deleteTemplate(id: string): Promise<void> {
    return this.delete(`/api/device-templates/${segment(id)}`);
  }

  listDevices(query: PageQuery & { template?: string } = {}): Promise<Page<Device>> {
    return this.get(withQuery('/api/devices', { ...query }));
  }
  getDevice(id: string): Promise<Device> {
    return this.get(`/api/devices/${segment(id)}`);
  }
  putDevice(id: string, body: DeviceBody): Promise<Device | null> {
    return this.put(`/api/devices/${segment(id)}`, body);
  }
  deleteDevice(id: string): Promise<void> {
    return this.delete(`/api/devices/${segment(id)}`);
  }

  listDeviceSets(query: PageQuery = {}): Promise<Page<DeviceSet>> {
    return this.get(withQuery('/api/device-sets', { ...query }));
  }
  getDeviceSet(id: string): Promise<DeviceSet> {
    return this.get(`/api/device-sets/${segment(id)}`);
  }
  putDeviceSet(id: string, body: DeviceSetBody): Promise<DeviceSet | null> {
    return this.put(`/api/device-sets/${segment(id)}`, body);
  }
  deleteDeviceSet(id: string): Promise<void> {
    return this.delete(`/api/device-sets/${segment(id)}`);
  }
  /** Current members of a set; a broken set rejects with a 409 problem that says why. */
  listDeviceSetMembers(id: string, query: PageQuery = {}): Promise<Page<Device>> {
    return this.get(withQuery(`/api/device-sets/${segment(id)}/devices`, { ...query }));
  }

  /** `scheduleId` keeps the runs of one schedule, newest first. */
  listJobs(query: PageQuery & { status?: JobStatus | ''; scheduleId?: string } = {}): Promise<Page<Job>> {
    return this.get(withQuery('/api/jobs', { ...query }));
  }
  getJob(id: string): Promise<Job> {
    return this.get(`/api/jobs/${segment(id)}`);
  }
  /** The job as it was at an instant of the past (its status, times and counts then). */
  getJobAt(id: string, at: string): Promise<Job> {
    return this.get(withQuery(`/api/jobs/${segment(id)}`, { at }));
  }
  /**
   * Creates and runs a job under a server-chosen id, and answers that id; a body with
   * `schedule.recurrence` makes a schedule, and answers its first run and the schedule's id.
   */
  async createJob(body: NewJob): Promise<{ id: string; scheduleId?: string }> {
    const { data, response } = await this.request<Partial<Job> | null>('POST', '/api/jobs', body);
    const location = response.headers.get('location');
    const id = data?.id ?? (location ? decodeURIComponent(location.replace(/\/+$/, '').split('/').pop() ?? '') : '');
    if (!id) throw new Error('The API created the job without telling its id');
    return data?.scheduleId ? { id, scheduleId: data.scheduleId } : { id };
  }
  /** Creates a job with the job's definition on its failed devices (or all, or those listed), linked to it; answers the new job. */
  rerunJob(id: string, devices: 'failed' | 'all' | string[]): Promise<Job> {
    return this.request<Job>('POST', `/api/jobs/${segment(id)}/rerun`, { devices }).then(({ data }) => data);
  }
  /** Creates the job that puts back what the job's properties and settings replaced, linked to it; answers the new job. */
  revertJob(id: string): Promise<Job> {
    return this.request<Job>('POST', `/api/jobs/${segment(id)}/revert`, {}).then(({ data }) => data);
  }
  /** A new job's body with the job's definition, to edit and create; creates nothing. */
  copyJob(id: string): Promise<NewJob> {
    return this.request<NewJob>('POST', `/api/jobs/${segment(id)}/copy`).then(({ data }) => data);
  }
  /** What the job would target, how long it would take and which active jobs it overlaps; creates nothing. */
  previewJob(body: NewJob): Promise<import('./fleetjobs-api.types').JobPreview> {
    return this.request<import('./fleetjobs-api.types').JobPreview>('POST', '/api/jobs/preview', body).then(({ data }) => data);
  }
  stopJob(id: string): Promise<unknown> {
    return this.request('POST', `/api/jobs/${segment(id)}/stop`).then(({ data }) => data);
  }
  /** A paused job starts nothing new; operations under way finish. */
  pauseJob(id: string): Promise<unknown> {
    return this.request('POST', `/api/jobs/${segment(id)}/pause`).then(({ data }) => data);
  }
  resumeJob(id: string): Promise<unknown> {
    return this.request('POST', `/api/jobs/${segment(id)}/resume`).then(({ data }) => data);
  }
  /** Lets a job that waits for a second person's approval run; its creator cannot approve it. */
  approveJob(id: string): Promise<unknown> {
    return this.request('POST', `/api/jobs/${segment(id)}/approve`).then(({ data }) => data);
  }
  /** Recurring schedules (made by creating a job with `schedule.recurrence`), newest first. */
  listSchedules(query: PageQuery = {}): Promise<Page<Schedule>> {
    return this.get(withQuery('/api/schedules', { ...query }));
  }
  getSchedule(id: string): Promise<Schedule> {
    return this.get(`/api/schedules/${segment(id)}`);
  }
  /** Its pending next run is stopped, and none is created until Resume. */
  pauseSchedule(id: string): Promise<Schedule> {
    return this.request<Schedule>('POST', `/api/schedules/${segment(id)}/pause`).then(({ data }) => data);
  }
  /** Creates its next run, at the first occurrence from now on. */
  resumeSchedule(id: string): Promise<Schedule> {
    return this.request<Schedule>('POST', `/api/schedules/${segment(id)}/resume`).then(({ data }) => data);
  }
  /** No further run; the pending one is stopped; runs stay as jobs. */
  deleteSchedule(id: string): Promise<void> {
    return this.delete(`/api/schedules/${segment(id)}`);
  }
  /** Who sent which command, newest first. */
  listAuditEntries(query: AuditQuery = {}): Promise<Page<AuditEntry>> {
    return this.get(withQuery('/api/audit', { ...query }));
  }
  /**
   * A job's devices in device id order; `search` keeps those whose id contains it, ignoring case;
   * `at` shows them as they were at that instant.
   */
  listJobDevices(id: string, query: PageQuery & { status?: JobDeviceStatus | ''; search?: string; at?: string } = {}): Promise<Page<JobDevice>> {
    return this.get(withQuery(`/api/jobs/${segment(id)}/devices`, { ...query }));
  }
  /** Every device of a job that passes the filters, as one CSV or NDJSON file, and the file name the API gives it. */
  async downloadJobDevices(
    id: string,
    format: 'csv' | 'ndjson',
    query: { status?: JobDeviceStatus | ''; search?: string; at?: string } = {},
  ): Promise<{ file: Blob; filename: string }> {
    let response: Response;
    try {
      response = await globalThis.fetch(`${this.baseUrl}${withQuery(`/api/jobs/${segment(id)}/devices.${format}`, { ...query })}`, {
        headers: this.authorizationHeaders(),
      });
    } catch (error) {
      throw networkProblem(error);
    }
    if (!response.ok) {
      const problem = await problemFromResponse(response);
      if (problem.status === 401) this.refused(problem);
      throw problem;
    }
    const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
    return { file: await response.blob(), filename: named?.[1] ?? `${id}-devices.${format}` };
  }
  /**
   * Server-sent events: `event: job` carrying the same JSON as `getJob`, on every change. Read with
   * fetch, so that the stream carries the credential like every other call.
   */
  openJobStream(id: string): JobEventStream {
    return new FetchEventStream(`${this.baseUrl}/api/jobs/${segment(id)}/stream`, {
      headers: () => this.authorizationHeaders(),
      unauthorized: (problem) => this.refused(problem),
    });
  }
}

/** The dashboard talks to the API on its own origin. */
export const fleetjobsApi = new FleetjobsApiClient();
