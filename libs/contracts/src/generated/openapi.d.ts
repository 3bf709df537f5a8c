/**
 * Generated from docs/openapi.yaml by openapi-typescript: do not edit.
 * Regenerate with `npm run generate:api-types` after changing the document.
 */
export interface paths {
    "/api/device-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List device templates, by id */
        get: operations["listDeviceTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/device-templates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        /** Read a device template */
        get: operations["getDeviceTemplate"];
        /** Create or replace a device template */
        put: operations["putDeviceTemplate"];
        post?: never;
        /**
         * Delete a device template
         * @description Allowed while devices and sets use it; the sets that fix it become broken.
         */
        delete: operations["deleteDeviceTemplate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List devices, by id */
        get: operations["listDevices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/devices/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create or update up to 10,000 devices in one call
         * @description Every device is validated before any is written; either all are written or none.
         */
        post: operations["batchDevices"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/devices/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import the devices already registered in the hub
         * @description Reads the hub's registry page by page. A hub device is imported when its twin tags carry
         *     its template (`tags.fleetjobs.template`); the others are skipped and counted.
         */
        post: operations["importDevices"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/devices/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        /** Read a device */
        get: operations["getDevice"];
        /**
         * Create or replace a device
         * @description The device is created or re-tagged in the hub as well.
         */
        put: operations["putDevice"];
        post?: never;
        /**
         * Delete a device
         * @description The device is deleted from the hub as well; jobs it belongs to keep it, marked deleted.
         */
        delete: operations["deleteDevice"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/device-sets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List device sets, by id */
        get: operations["listDeviceSets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/device-sets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        /** Read a device set, with whether it is broken and why */
        get: operations["getDeviceSet"];
        /** Create or replace a device set */
        put: operations["putDeviceSet"];
        post?: never;
        /** Delete a device set */
        delete: operations["deleteDeviceSet"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/device-sets/{id}/devices": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        /**
         * The set's current members, by id
         * @description Membership is evaluated when asked, so it follows the devices as they change.
         */
        get: operations["listDeviceSetMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The jobs list
         * @description Pending and running jobs first, then the others; newest first within each. Ended jobs stay
         *     listed for 30 days (configurable) after they end.
         */
        get: operations["listJobs"];
        put?: never;
        /** Create and run a job under an id the server chooses */
        post: operations["createJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What a job would do, without creating it
         * @description Checks a job body exactly as `PUT /api/jobs/{id}` would (the same 4xx problems, naming the
         *     same fields) and answers, without creating or publishing anything: the devices the job
         *     would target now, in total and per device template; an estimate of its duration under its
         *     rollout (batches, pauses, rate, ramp) and the hub's rate limit (`HUB_RATE_LIMIT_PER_SECOND`);
         *     and the active jobs (pending, running, paused) that already target some of the same
         *     devices, each with the exact number of shared devices and the properties and settings both
         *     jobs write. The overlaps are counted device by device, a page of 1000 of the job's devices at
         *     a time, so a preview of a large set takes a moment per thousand devices. A job whose targets
         *     are still being resolved shows the devices resolved so far.
         */
        post: operations["previewJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        /**
         * One job, its status, timestamps and counts
         * @description With `at`, the job as it was at that instant: its status then (from its status changes at
         *     their own times), `startedAt`, `endedAt`, `error`, `stoppedBy` and the approval only if they
         *     had happened by then, and its counts then (a device counts from when it was targeted, and
         *     has its outcome from when that happened). The definition is the job's own; `rolloutProgress`
         *     is not kept over time and is null.
         */
        get: operations["getJob"];
        /**
         * Create and run a job
         * @description Repeating the same request is harmless: it answers 200 with the existing job. The same id
         *     with another body is a conflict (409).
         */
        put: operations["putJob"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/devices": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        /**
         * Every device of the job, by device id
         * @description A device deleted after the job started still appears, marked `deleted`. With
         *     `Accept: text/csv` or `Accept: application/x-ndjson` the answer is instead every device that
         *     passes the filters, streamed as one download (`limit` and `cursor` are then ignored), as from
         *     `/api/jobs/{id}/devices.csv` and `/api/jobs/{id}/devices.ndjson`.
         *
         *     With `at`, the devices as they were at that instant: only those the job had targeted (or
         *     heard an outcome from) by then, each with its status then (`error` and `attempts` only once
         *     its outcome had happened). `status` filters on the status then, and paging works the same.
         *     The CSV and NDJSON downloads honour `at` too.
         */
        get: operations["listJobDevices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/devices.csv": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        /**
         * Every device of the job as CSV
         * @description Every device of the job that passes the filters, by device id, streamed as one download
         *     named `<jobId>-devices.csv`; the same as `GET /api/jobs/{id}/devices` with `Accept: text/csv`.
         */
        get: operations["exportJobDevicesCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/devices.ndjson": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        /**
         * Every device of the job as NDJSON
         * @description Every device of the job that passes the filters, by device id, streamed as one download
         *     named `<jobId>-devices.ndjson`; the same as `GET /api/jobs/{id}/devices` with `Accept: application/x-ndjson`.
         */
        get: operations["exportJobDevicesNdjson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        /**
         * Live updates of one job (Server-Sent Events)
         * @description Each `event: job` carries the same JSON as `GET /api/jobs/{id}`: once at once, then on every
         *     change. Comment lines (`: heartbeat`) keep idle connections open. The stream ends after
         *     a terminal status (`completed`, `failed`, `stopped`) has been sent.
         */
        get: operations["streamJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stop a pending or running job
         * @description When the answer is given, no device operation of the job starts any more and no request of
         *     the job that changes a device reaches the hub. The stop and the halt commit together, so
         *     once it is decided the job ends `stopped` whatever fails later; it needs only job-command
         *     and its database, and answers within about a second. Devices already reached keep their
         *     outcome (it may arrive shortly after); the rest stay `pending`. A stopped job is never
         *     restarted; create a new job with its definition instead. Stopping a stopped job answers
         *     200 again.
         */
        post: operations["stopJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a job that waits for a second person
         * @description The two-person rule: a job that requires approval (its `approval.required`, asked for by its
         *     creator or by a rule of the deployment) stays `pending` and nothing of it is targeted or sent
         *     until an operator other than its creator approves it here. Then it runs like any job. Approving
         *     a job that needs no approval, or one approved already, changes nothing and answers 200. A job
         *     stopped before its approval is never approved and never runs.
         */
        post: operations["approveJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/rerun": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rerun an ended job on its failed devices, all of them, or some
         * @description Creates and runs a new job with the original job's definition (operations, rollout, device
         *     set) on the devices asked for, linked to the original by its `rerunOf`. `failed`: exactly the
         *     devices that failed in the original job; `all`: the original's devices as it named them (its
         *     whole device set when it named none); a list: those devices, each of which the original job
         *     targeted. The new job is created under the same rules as `POST /api/jobs` (definition check,
         *     approval, the active-jobs limit). A rollout's batch size above the rerun's device count
         *     becomes that count. Repeating the request with the same `id` answers the job it created.
         *     The failed devices come from the read model: until it knows as many as the job counted
         *     failed when it ended, the answer is 503 with `Retry-After`.
         */
        post: operations["rerunJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/revert": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Put back what an ended property or setting job replaced
         * @description Creates and runs the inverse of an ended job (completed, failed or stopped): a new job,
         *     linked to it by `revertOf`, with the original's properties and settings (each type and name
         *     once; commands are left out, a job of commands only cannot be reverted), on the devices the
         *     original named (its whole device set, as it is now, when it named none), with its rollout
         *     and without its schedule. Each operation keeps the value the original wrote, which the
         *     revert undoes; on each device the revert writes back the value that the original's write
         *     replaced there, as recorded just before that write was sent:
         *     - a property the device did not have is removed;
         *     - a setting the device did not have cannot be unset: the device fails in the revert job
         *       with an error that starts with `not revertible:`;
         *     - a device the original never wrote (it failed before, was not reached, or joined the set
         *       since) fails the same way.
         *     The revert job is created under the same rules as `POST /api/jobs` (definition check,
         *     approval, the active-jobs limit). Repeating the request with the same `id` answers the job
         *     it created. A revert job can itself be reverted.
         */
        post: operations["revertJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/copy": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new job's draft with a job's definition
         * @description Answers the body of a new job with the job's definition (display name, description, device
         *     set, devices, operations, rollout), to edit and send to `POST /api/jobs`. Creates nothing.
         */
        post: operations["copyJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause a pending or running job
         * @description When the answer is given, no device operation of the job starts any more and no request of
         *     the job that changes a device reaches the hub until it is resumed, exactly as for a stop.
         *     Devices already reached finish and keep their outcome (it may arrive shortly after); a
         *     device part way through several operations continues after the resume (properties and
         *     settings already in place are not written again; no command runs twice). The job shows
         *     `paused`. Pausing a paused job answers 200 again. Stop still ends a paused job for good.
         */
        post: operations["pauseJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a paused job
         * @description The job's devices not yet reached start again, and the job shows `running` (`pending`
         *     if it was paused before it started).
         */
        post: operations["resumeJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The recurring schedules, newest first
         * @description Every schedule not deleted: active, paused and ended ones, newest first. A schedule is made
         *     by creating a job whose `schedule` has a `recurrence` (`POST /api/jobs`, `PUT /api/jobs/{id}`).
         */
        get: operations["listSchedules"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/schedules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        /**
         * One recurring schedule, its next run and its runs so far
         * @description Its runs are jobs (`GET /api/jobs?scheduleId={id}` lists them, newest first), each with its
         *     own devices and history.
         */
        get: operations["getSchedule"];
        put?: never;
        post?: never;
        /**
         * Delete a schedule; its runs stay in the jobs' history
         * @description No further run is created; its pending next run is stopped (it settles `stopped` and never
         *     reaches a device). A run already under way carries on to its end; stop it as any job. Runs
         *     stay listed as jobs. The schedule then answers 404, and deleting it again 404.
         */
        delete: operations["deleteSchedule"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/schedules/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause a schedule
         * @description Its pending next run is stopped (it settles `stopped` and never reaches a device), and no run
         *     is created until it is resumed. A run already under way carries on. Pausing a paused schedule
         *     answers 200 again.
         */
        post: operations["pauseSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/schedules/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a paused schedule
         * @description Creates its next run, `pending` until the first occurrence after now (the runs missed while
         *     it was paused are not made up). Resuming an active schedule answers 200 and changes nothing;
         *     a schedule whose `endAt` passed while it was paused ends.
         */
        post: operations["resumeSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who sent which command, newest first
         * @description Every command that changed something — create, stop, pause, resume or approve a job; create,
         *     pause, resume or delete a recurring schedule (its subject the schedule's id); save or
         *     delete a device template, device or device set (batches and imports record one entry per
         *     device); create or revoke an API token — with who sent it, from where and when. Entries are
         *     kept whatever the jobs' retention. Filters combine; `from` is inclusive, `to` exclusive.
         */
        get: operations["listAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How to sign in
         * @description What the dashboard's sign-in page needs: `oidc` (sign in at `issuer` as `clientId` with the
         *     authorization-code flow and PKCE, asking for `scopes`), `token` (paste an API token), or
         *     `off` (authentication is off; every request acts as an administrator).
         */
        get: operations["getAuthConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the credentials stand for */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API tokens, newest first
         * @description Revoked and expired tokens are listed too; a token's secret never is.
         */
        get: operations["listApiTokens"];
        put?: never;
        /**
         * Create an API token
         * @description The answer's `token` is the only time the secret is shown: only its SHA-256 is stored. Send
         *     it as `Authorization: Bearer <token>`. The token acts with its `role` until `expiresAt`
         *     (default 90 days from now, at most one year) or until it is revoked.
         */
        post: operations["createApiToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API token
         * @description From the next request on, the token answers 401. Revoking a revoked token answers 204 again.
         */
        delete: operations["revokeApiToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.yaml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description Each role includes the ones before it.
         * @enum {string}
         */
        Role: "viewer" | "operator" | "builder" | "administrator";
        Me: {
            /** @description `user:<subject>` (OpenID Connect), `token:<token id>` (API token) or `local:anonymous` (authentication off). */
            id: string;
            name: string;
            role: components["schemas"]["Role"];
        };
        AuthConfig: {
            /** @enum {string} */
            mode: "oidc" | "token" | "off";
            /** @description With `oidc`, the OpenID provider's issuer URL. */
            issuer?: string;
            /** @description With `oidc`, the dashboard's client id at the issuer. */
            clientId?: string;
            /** @description With `oidc`, the scopes to ask for, space separated. */
            scopes?: string;
        };
        NewApiToken: {
            name: components["schemas"]["DisplayName"];
            role: components["schemas"]["Role"];
            /**
             * Format: date-time
             * @description In the future and at most one year ahead; default, 90 days ahead.
             */
            expiresAt?: string;
        };
        ApiToken: {
            id: string;
            name: string;
            role: components["schemas"]["Role"];
            createdAt: components["schemas"]["Instant"];
            /** @description Who created it; `null` for the bootstrap token of `FLEETJOBS_ADMIN_TOKEN`. */
            createdBy: components["schemas"]["ActorRef"] | null;
            /** @description `null`: never (the bootstrap token). */
            expiresAt: components["schemas"]["Instant"] | null;
            revokedAt: components["schemas"]["Instant"] | null;
        };
        CreatedApiToken: components["schemas"]["ApiToken"] & {
            /** @description `fjt_<id>_<secret>`, shown this once. */
            token: string;
        };
        ApiTokenPage: {
            value: components["schemas"]["ApiToken"][];
            nextCursor: string | null;
        };
        ActorRef: {
            id: string;
            name: string;
        };
        /** @description Who sent a command, as the public edge authenticated them. */
        Actor: {
            /** @description `user:<subject>` (signed in with the identity provider), `token:<token id>` (an API token) or `local:anonymous` (authentication off). */
            id: string;
            name: string;
            role: components["schemas"]["Role"];
            /** @description The client's address as the public edge saw it. */
            address?: string;
        };
        /**
         * @description The event that records the command.
         * @enum {string}
         */
        AuditAction: "JobCreated" | "JobStopped" | "JobPaused" | "JobResumed" | "JobApproved" | "ScheduleCreated" | "SchedulePaused" | "ScheduleResumed" | "ScheduleDeleted" | "DeviceTemplateSaved" | "DeviceTemplateDeleted" | "DeviceRegistered" | "DeviceDeleted" | "DeviceSetSaved" | "DeviceSetDeleted" | "TokenCreated" | "TokenRevoked";
        AuditEntry: {
            /** @description The id of the event that records the command. */
            eventId: string;
            time: components["schemas"]["Instant"];
            actor: components["schemas"]["Actor"];
            action: components["schemas"]["AuditAction"];
            /** @description The id of the job, device, device template, device set or API token concerned. */
            subject: string;
            /**
             * @description A few words on what was asked, never device lists or operation values: for `JobCreated`
             *     `displayName`, `deviceSet`, `deviceCount` (`null` for every device of the set),
             *     `operationCount` and the first 10 `operations` by type and name; the display name and a
             *     count for templates and sets; `name`, `role` and `expiresAt` for `TokenCreated`; empty
             *     for the others.
             */
            summary: {
                [key: string]: unknown;
            };
        };
        AuditEntryPage: {
            value: components["schemas"]["AuditEntry"][];
            nextCursor: string | null;
        };
        /** @description 1 to 128 letters, digits, `-`, `_`, `.` or `:`, and not `.` or `..` alone (they cannot stand as a path segment). */
        Id: string;
        DisplayName: string;
        /** Format: date-time */
        Instant: string;
        /** @description RFC 9457 problem details. */
        Problem: {
            /** @description `about:blank`: the status and title say it all. */
            type: string;
            title: string;
            status: number;
            detail: string;
            /** @description The request path. */
            instance?: string;
            /** @description Each offending field of the request. */
            errors?: components["schemas"]["FieldError"][];
            /** @description How many field errors were found, given when there are more than the 20 `errors` lists. */
            errorCount?: number;
        };
        /** @description A problem document; a refused conflict adds `conflicts`. */
        JobConflictProblem: components["schemas"]["Problem"] & {
            /**
             * @description Each active job (pending, running or paused) that writes one of the same properties or
             *     settings on some of the same devices, the most shared devices first.
             */
            conflicts?: components["schemas"]["JobOverlap"][];
        };
        FieldError: {
            /** @description Path of the field in the request (`devices[2].template`, `operations[0].value`, `body`, `id`, `limit`). */
            field: string;
            message: string;
        };
        Capability: {
            /**
             * @description Unique within the template. A `setting` or `property` name is an IoT Hub twin key: no `.`,
             *     `$`, space or control character. A `command` name is an IoT Hub method name: printable
             *     US-ASCII without spaces or any of `$ ( ) < > @ , ; : \ " / [ ] ? = { }`. Another
             *     answers 400 naming `capabilities[i].name`.
             */
            name: string;
            /**
             * @description A cloud-side value kept for the device, a writable value the device applies and acknowledges, or a method the device executes.
             * @enum {string}
             */
            kind: "property" | "setting" | "command";
            /** @enum {string} */
            schema: "string" | "number" | "boolean" | "object";
        };
        DeviceTemplateBody: {
            displayName: components["schemas"]["DisplayName"];
            capabilities: components["schemas"]["Capability"][];
        };
        DeviceTemplate: {
            id: components["schemas"]["Id"];
            displayName: string;
            capabilities: components["schemas"]["Capability"][];
        };
        DeviceTemplatePage: {
            value: components["schemas"]["DeviceTemplate"][];
            nextCursor: string | null;
        };
        /**
         * @description Free JSON that an IoT Hub twin can hold, at most 4 KiB (4,096 bytes) both as UTF-8 JSON and
         *     as IoT Hub counts a twin (keys and strings in UTF-8, numbers 8 bytes, booleans 4): the twin's
         *     tags hold 8 KB, shared with Fleetjobs' own `fleetjobs` tag and the device's properties. At
         *     any depth, names have no `.`, `$`, space or control character and at most 1 KB, strings
         *     at most 4 KB, integers within ±2^52, objects nested at most 10 levels. A tag the hub would
         *     refuse answers 400 naming it (`tags.serial.no`). `fleetjobs` and `properties` are reserved:
         *     Fleetjobs keeps its own data under those names in the hub's twin tags.
         */
        Tags: {
            [key: string]: unknown;
        };
        DeviceBody: {
            displayName: components["schemas"]["DisplayName"];
            template: components["schemas"]["Id"];
            /** @description Absent or null means no tags. */
            tags?: components["schemas"]["Tags"] | null;
        };
        BatchDevice: {
            id: components["schemas"]["Id"];
            displayName: components["schemas"]["DisplayName"];
            template: components["schemas"]["Id"];
            tags?: components["schemas"]["Tags"] | null;
        };
        DeviceBatchBody: {
            /** @description Ids must be distinct. */
            devices: components["schemas"]["BatchDevice"][];
        };
        DeviceBatchResult: {
            created: number;
            updated: number;
        };
        DeviceImportResult: {
            imported: number;
            /** @description Hub devices whose twin tags carry no template (or an id, name or tags Fleetjobs cannot keep). */
            skipped: number;
        };
        Device: {
            id: components["schemas"]["Id"];
            displayName: string;
            template: components["schemas"]["Id"];
            tags: components["schemas"]["Tags"];
        };
        DevicePage: {
            value: components["schemas"]["Device"][];
            nextCursor: string | null;
        };
        Condition: {
            /** @description `id`, `displayName`, `template` or `tags.<dot.path>` (segments of letters, digits, `_` or `-`). */
            field: string;
            /**
             * @description On `id`, `displayName` and `template`: `eq`, `neq`, `contains` take a string, `in` a list
             *     of strings. On tags: `eq`, `neq` take a JSON scalar, `in` a list of scalars, `contains` a
             *     string, `gt` and `lt` a number.
             * @enum {string}
             */
            operator: "eq" | "neq" | "in" | "contains" | "gt" | "lt";
            /** @description Depends on the field and operator. */
            value: unknown;
        };
        DeviceSetBody: {
            displayName: components["schemas"]["DisplayName"];
            /**
             * @description Joined by AND. A job can only run on a set that fixes its template (`template eq <id>`).
             *     At most 64 KiB (65,536 bytes) together as a JSON array.
             */
            conditions: components["schemas"]["Condition"][];
        };
        DeviceSet: {
            id: components["schemas"]["Id"];
            displayName: string;
            conditions: components["schemas"]["Condition"][];
            /** @description The set can no longer be evaluated (its template was deleted, a condition no longer type-checks); it then lists no devices. */
            broken: boolean;
            brokenReason: string | null;
        };
        DeviceSetPage: {
            value: components["schemas"]["DeviceSet"][];
            nextCursor: string | null;
        };
        /**
         * @description `pending`: not yet executing on devices; `running`; `paused`: paused by a user, nothing
         *     new starts until it is resumed; `completed`: executed on every device;
         *     `failed`: ended without fully executing on every device; `stopped`: stopped by a user.
         * @enum {string}
         */
        JobStatus: "pending" | "running" | "paused" | "completed" | "failed" | "stopped";
        /** @enum {string} */
        DeviceJobStatus: "pending" | "completed" | "failed";
        JobOperation: {
            /**
             * @description `property`: a cloud-side value (twin tags); `setting`: a desired-property patch the device
             *     acknowledges; `command`: a direct method.
             * @enum {string}
             */
            type: "property" | "setting" | "command";
            /**
             * @description A capability of that kind in the devices' template; a `setting` or `property` name IoT Hub
             *     accepts as a twin key, a `command` name it accepts as a method name (see `Capability`).
             */
            name: string;
            /**
             * @description A value of the capability's schema, at most 32 KiB (32,768 bytes) as UTF-8 JSON; a larger
             *     one answers 400 naming `operations[i].value`. What IoT Hub would refuse also answers 400
             *     naming it: for a `setting` or `property`, keys with `.`, `$` or space, strings over 4 KB,
             *     objects nested deeper than the twin's 10 levels (a setting sits one level below the
             *     desired properties, a property two below the tags), a setting over the twin's 32 KB of
             *     desired properties, a property over 2 KiB with its name (its share of the twin's 8 KB of
             *     tags); for a `command`, a payload over IoT Hub's 128 KB.
             */
            value: unknown;
        };
        JobBody: {
            displayName: string;
            description?: string;
            deviceSet: components["schemas"]["Id"];
            /**
             * @description An explicit subset of the set's devices; omitted means every device of the set. At most
             *     10,000 ids and at most 512 KiB (524,288 bytes) as a JSON array, whichever is reached first:
             *     10,000 ids of up to ~50 characters, or ~4,000 ids of 128. A longer list answers 400
             *     naming `devices`; name a device set instead.
             */
            devices?: components["schemas"]["Id"][];
            /** @description At most 128 KiB (131,072 bytes) together as a JSON array. */
            operations: components["schemas"]["JobOperation"][];
            rollout?: components["schemas"]["Rollout"];
            /**
             * @description `{"required": true}`: the job waits `pending` until an operator other than its creator
             *     approves it (`POST /api/jobs/{id}/approve`). The deployment's rules may require approval
             *     anyway (any job with a command, or more than a number of devices). A value that is not a
             *     boolean answers 400 naming `approval.required`.
             */
            approval?: {
                required: boolean;
            };
            /**
             * @description What to do when active jobs (pending, running, paused) write the same property or setting
             *     on some of the same devices (commands write nothing and never conflict). `refuse`: answer
             *     409 naming each such job and the number of shared devices, creating nothing. `queue`:
             *     create the job `pending` with `waitingFor` naming those jobs (and the jobs already queued
             *     behind them writing the same); it starts by itself once every one has completed, failed or
             *     been stopped. `allow`: create it as it is, to run beside them. Jobs are compared as the
             *     read model knows them when the request comes: a job whose targets are not resolved yet
             *     (created a moment before, typically under a second, or awaiting its approval, its start or
             *     its own queue) shares no device yet, so two jobs asked for within that moment may both pass.
             * @default refuse
             * @enum {string}
             */
            onConflict?: "refuse" | "queue" | "allow";
            schedule?: components["schemas"]["JobScheduleBody"];
        };
        /**
         * @description When the job starts (`startAt`: it stays `pending` with `nextStartAt`, and nothing of it is
         *     targeted or sent until then; it then starts within about a second; a job that also needs
         *     approval starts at `startAt` if approved by then, else when approved), and when its devices
         *     may start (`windows`). Omitted: the job starts at once and starts devices at any time.
         *     With `recurrence` the request makes a recurring schedule instead of one job (see
         *     `recurrence`).
         */
        JobScheduleBody: {
            /**
             * @description Maintenance windows: a device starts only inside one of them; one not started when every
             *     window is closed stays `pending` (the job `running`) until one opens. A window whose
             *     end is not after its start runs overnight. A window in `device` zones is judged in each
             *     device's own zone, so devices start at their own local hours; a job may mix such windows
             *     with fixed-zone ones (a device starts when any of them is open for it). Bad times answer
             *     400 naming e.g. `schedule.windows[0].start`; an unknown zone names
             *     `schedule.windows[0].timeZone`.
             */
            windows?: {
                /** @description The days on which the window opens, in its zone; omitted for every day. */
                days?: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                /** @description Local time `HH:MM` or `HH:MM:SS` (24-hour) at which it opens. */
                start: string;
                /** @description Local time at which it closes (exclusive); must differ from `start`. */
                end: string;
                /**
                 * @description An IANA time zone (`UTC`, `Europe/Berlin`): the window keeps its local hours across
                 *     daylight-saving changes. `device`: in each device's own zone, its `timezone` tag
                 *     (an IANA name, e.g. `America/Chicago`); a device without the tag, or whose tag
                 *     names no zone, is in UTC.
                 */
                timeZone: string;
            }[];
            /**
             * Format: date-time
             * @description An ISO 8601 time with its zone (`Z` or an offset), e.g. `2030-01-31T02:00:00Z`, in the
             *     future. A time without a zone, or one not ahead of the request, answers 400 naming
             *     `schedule.startAt`. With a `recurrence`: no run starts before it.
             */
            startAt?: string;
            /**
             * @description Makes the request a recurring schedule (`GET /api/schedules/{id}`) whose id is the job's
             *     id (the path's, or one the server chooses), instead of one job. Each run is a job of its
             *     own, with the schedule's operations, devices, rollout and windows and its own history, its
             *     id `{id}.run-{n}` (n = 1, 2, ...), `scheduleId` and `scheduleRun` naming the schedule, and
             *     `pending` with `nextStartAt` until its occurrence. The answer (201) is run 1, pending until
             *     the first occurrence (not before `startAt`), with `Location: /api/schedules/{id}`; the same
             *     request repeated answers 200 with run 1. An id too long to name its runs (over 114
             *     characters) answers 400 naming `id`. Run 1 meets the body's `onConflict` as any job; a later
             *     run is created, ahead of its start, once the run before it has started, and is not compared
             *     with other jobs. Runs of one schedule never overlap: a run whose start comes while the run
             *     before it is still active stays `pending` (its `waitingFor` names that run) until it ends.
             */
            recurrence?: components["schemas"]["ScheduleRecurrence"];
        };
        /**
         * @description How a schedule repeats: a cron expression read in `timeZone`, until `endAt` or for `count`
         *     runs (not both; neither: for ever). Each problem answers 400 naming its field
         *     (`schedule.recurrence.cron`, `schedule.recurrence.timeZone`, `schedule.recurrence.endAt`,
         *     `schedule.recurrence.count`).
         */
        ScheduleRecurrence: {
            /**
             * @description 5 fields (`minute hour day-of-month month day-of-week`, e.g. `0 2 * * 1`: Mondays at 02:00),
             *     or 6 with seconds first (`*\/30 * * * * *`). A local time a clock change skips runs once,
             *     moved on by the skipped hour; one it repeats runs once.
             */
            cron: string;
            /** @description The IANA zone the expression's hours and days are read in (`Europe/Berlin`); UTC when absent. */
            timeZone?: string;
            /**
             * Format: date-time
             * @description No run starts after this time (with its zone, in the future).
             */
            endAt?: string;
            /** @description How many runs start in all (a run stopped by a pause before its start does not count). */
            count?: number;
        };
        /**
         * @description `active`: it creates its runs; `paused`: it creates none until resumed; `ended`: its last run
         *     (by `count` or `endAt`) has started, and no further run will be created.
         * @enum {string}
         */
        ScheduleStatus: "active" | "paused" | "ended";
        Schedule: {
            id: components["schemas"]["Id"];
            displayName: string;
            status: components["schemas"]["ScheduleStatus"];
            recurrence: components["schemas"]["ScheduleRecurrence"];
            /** @description No run starts before this time (in UTC, as created); absent when the schedule has none. */
            startAt?: components["schemas"]["Instant"];
            /** @description When the pending next run starts; `null` while paused or once ended. */
            nextRunAt: components["schemas"]["Instant"] | null;
            /** @description The runs created so far, the pending next run and runs stopped by a pause included. */
            runs: number;
            /** @description The pending next run (a job, `pending` with `nextStartAt`); `null` while paused or once ended. */
            nextRunId: components["schemas"]["Id"] | null;
            /** @description The latest run whose start came (it ran, or runs now); `null` before the first. */
            lastRunId: components["schemas"]["Id"] | null;
            /** @description What each run does, as created. */
            job: {
                description: string;
                deviceSet: components["schemas"]["Id"];
                /** @description The explicit subset chosen; `null` means every device of the set. */
                devices: components["schemas"]["Id"][] | null;
                operations: components["schemas"]["JobOperation"][];
                rollout?: components["schemas"]["Rollout"];
                windows?: components["schemas"]["JobScheduleBody"]["windows"];
            };
            createdAt: components["schemas"]["Instant"];
            /** @description Who created the schedule; `null` when no actor was recorded. */
            createdBy: components["schemas"]["ActorRef"] | null;
        };
        SchedulePage: {
            value: components["schemas"]["Schedule"][];
            nextCursor: string | null;
        };
        /** @description A job body as for `PUT /api/jobs/{id}`, with the job's `id` when it has one. */
        JobPreviewBody: {
            id?: components["schemas"]["Id"];
            displayName: components["schemas"]["JobBody"]["displayName"];
            description?: components["schemas"]["JobBody"]["description"];
            deviceSet: components["schemas"]["Id"];
            devices?: components["schemas"]["JobBody"]["devices"];
            operations: components["schemas"]["JobBody"]["operations"];
            rollout?: components["schemas"]["Rollout"];
            approval?: components["schemas"]["JobBody"]["approval"];
            schedule?: components["schemas"]["JobScheduleBody"];
            onConflict?: components["schemas"]["JobBody"]["onConflict"];
        };
        /**
         * @example {
         *       "targets": {
         *         "total": 120,
         *         "byTemplate": [
         *           {
         *             "template": "vending-machine",
         *             "devices": 120
         *           }
         *         ]
         *       },
         *       "eta": {
         *         "seconds": 132,
         *         "sendingSeconds": 12,
         *         "pauseSeconds": 120,
         *         "batches": 3,
         *         "requestsPerDevice": 2,
         *         "peakDevicesPerMinute": 600,
         *         "limitedBy": "rollout"
         *       },
         *       "overlaps": [
         *         {
         *           "jobId": "lower-fan-speed",
         *           "displayName": "Lower fan speed",
         *           "status": "paused",
         *           "sharedDevices": 40,
         *           "sameWrites": [
         *             {
         *               "type": "setting",
         *               "name": "fanSpeed"
         *             }
         *           ]
         *         }
         *       ],
         *       "conflict": {
         *         "onConflict": "refuse",
         *         "outcome": "refuse",
         *         "jobs": [
         *           "lower-fan-speed"
         *         ]
         *       }
         *     }
         */
        JobPreview: {
            targets: {
                /** @description The devices the job would target now. */
                total: number;
                byTemplate: {
                    template: components["schemas"]["Id"];
                    devices: number;
                }[];
            };
            eta: components["schemas"]["JobEta"];
            /** @description Active jobs sharing devices with this one, the most shared devices first. */
            overlaps: components["schemas"]["JobOverlap"][];
            /** @description What creating the job now would do about the overlaps that write the same property or setting. */
            conflict: {
                /**
                 * @description As asked in the body; `refuse` when omitted.
                 * @enum {string}
                 */
                onConflict: "refuse" | "queue" | "allow";
                /**
                 * @description `create`: it would be created and run; `refuse`: 409; `queue`: created `pending`, waiting for `jobs`.
                 * @enum {string}
                 */
                outcome: "create" | "refuse" | "queue";
                /** @description The conflicting jobs (empty when none). */
                jobs: components["schemas"]["Id"][];
            };
        };
        /**
         * @description An estimate assuming every device succeeds: devices are reached at the lower of the
         *     rollout's rate (a ramp climbing with the successes, an adaptive rate adding its step every
         *     healthy 2 s window) and the hub's limit in devices (a setting costs two requests, a property
         *     or command one); every batch after the first waits the pause. The devices' own answer time
         *     is not counted.
         */
        JobEta: {
            seconds: number;
            sendingSeconds: number;
            pauseSeconds: number;
            batches: number;
            requestsPerDevice: number;
            /** @description Null when nothing paces the job. */
            peakDevicesPerMinute: number | null;
            /** @enum {string} */
            limitedBy: "rollout" | "hub" | "none";
        };
        JobOverlap: {
            jobId: components["schemas"]["Id"];
            displayName: string;
            /** @enum {string} */
            status: "pending" | "running" | "paused";
            /** @description Devices both jobs target, counted device by device. */
            sharedDevices: number;
            /** @description The properties and settings both jobs write on the shared devices. */
            sameWrites: {
                /** @enum {string} */
                type: "property" | "setting";
                name: string;
            }[];
        };
        /**
         * @description How a job's devices are reached over time. Every field is optional; a job without a rollout
         *     reaches all its devices at once, at the dispatcher's own pace. Each refused field answers
         *     400 naming it (`rollout.batches.percent`, `rollout.rate.perMinute`, …), and nothing is created.
         */
        Rollout: {
            /**
             * @description Devices per batch, as a count (`size`, at least 1) or a percent of the job's devices
             *     (`percent`, above 0 and at most 100; not both). Batches run in sequence; every batch
             *     but the last holds the same number of devices and the last takes the remainder. A
             *     percent is rounded up to a whole device, at least one: 25 % of 10 devices is batches
             *     of 3, 3, 3 and 1. A `size` larger than the job's explicit `devices` answers 400 naming
             *     `rollout.batches.size`; without explicit devices, a `size` larger than the set's current
             *     members answers 422 naming it. Omitted: one batch.
             */
            batches?: {
                size: number;
            } | {
                percent: number;
            };
            /**
             * @description A batch must have an outcome on every device and at least this share completed (rounded
             *     up to whole devices) before the next batch starts. A batch that can no longer reach its
             *     gate ends the job `failed`, the error saying so.
             */
            successGate?: {
                percent: number;
            };
            /** @description Seconds between the end of a batch and the start of the next. Default 0. */
            pauseBetweenSeconds?: number;
            rate?: components["schemas"]["RolloutRate"];
            /** @description Rules that halt the job and end it `failed` when too many devices fail; the first rule that trips is in the job's error. */
            abort?: components["schemas"]["RolloutAbortRule"][];
            retries?: components["schemas"]["RolloutRetries"];
            /**
             * @description How long one device operation of any type (property, setting, command) may take before
             *     the device fails with a `timeout`. Omitted: the deployment's own timeouts (30 s).
             */
            timeoutSeconds?: number;
        };
        /**
         * @description The pace of a job, in device operations per minute. A fixed rate (`mode` omitted or
         *     `fixed`) takes `perMinute` and an optional `ramp`; an adaptive rate (`mode: adaptive`)
         *     takes `minPerMinute` and `maxPerMinute` and moves between them: additive increase after
         *     each healthy window, multiplicative decrease on a 429 from the hub, on a failure rate above
         *     `maxFailurePercent` or on device latency above `maxLatencyMs`. A field of the other mode
         *     answers 400 naming it. Rates are above 0 and at most 1,000,000.
         */
        RolloutRate: {
            /**
             * @description Default `fixed`.
             * @enum {string}
             */
            mode?: "fixed" | "adaptive";
            /** @description The cap of a fixed rate; required unless `mode` is `adaptive`. */
            perMinute?: number;
            /**
             * @description Start at `startPerMinute` and multiply the rate by `factor` after every `afterSuccesses`
             *     successes, up to `perMinute`.
             */
            ramp?: {
                /** @description Default a tenth of `perMinute`; a start above the cap starts at the cap. */
                startPerMinute?: number;
                /** @description Default 2. */
                factor?: number;
                /** @description Default 50. */
                afterSuccesses?: number;
            };
            /** @description The floor of an adaptive rate; required with `mode` `adaptive`; at most `maxPerMinute`. */
            minPerMinute?: number;
            /** @description The ceiling of an adaptive rate; required with `mode` `adaptive`. */
            maxPerMinute?: number;
            /** @description The first rate of an adaptive rate, kept between floor and ceiling. Default `minPerMinute`. */
            startPerMinute?: number;
            /** @description Added after each healthy window. Default `minPerMinute`. */
            stepPerMinute?: number;
            /** @description The rate is multiplied by this on trouble. Default 0.5. */
            decreaseFactor?: number;
            /** @description Device latency above which the rate goes down. Default 5000. */
            maxLatencyMs?: number;
            /** @description Share of a window's outcomes that failed above which the rate goes down. Default 10. */
            maxFailurePercent?: number;
        };
        /**
         * @description Trips when failures in its scope exceed `failed.percent` (strictly, once `minExecuted`
         *     devices of the scope have an outcome) or reach `failed.count`. The job halts and ends
         *     `failed` with the rule and figures in its error, e.g.
         *     `aborted: 12 % failed > 10 % after 500 devices`.
         */
        RolloutAbortRule: {
            failed: {
                percent: number;
            } | {
                count: number;
            };
            /** @description Devices of the scope with an outcome before a percent rule is judged. Default 1. */
            minExecuted?: number;
            /**
             * @description `job` (default): over the whole job; `batch`: over the current batch.
             * @enum {string}
             */
            scope?: "job" | "batch";
            /** @description Only failures of these kinds count; omitted, every failure. */
            kinds?: components["schemas"]["FailureKind"][];
        };
        /**
         * @description A failed device is tried again after an exponential backoff when its failure is of a kind
         *     in `on`. A command is tried again only when it provably was not delivered: the device was
         *     offline, or nothing was sent (throttled before the request left). Omitted: the
         *     deployment's own retries of hub errors.
         */
        RolloutRetries: {
            /** @description Attempts per device including the first; 1 means no retry. */
            maxAttempts: number;
            /** @description Default `[offline, timeout, throttled, hub]`. */
            on?: components["schemas"]["FailureKind"][];
            /**
             * @description The delay before attempt n+1 is `initialMs × factor^(n-1)`, at most `maxMs`; with
             *     `jitter` it is drawn between half of that and all of it.
             */
            backoff?: {
                /** @description Default 1000. */
                initialMs?: number;
                /** @description Default 2. */
                factor?: number;
                /** @description Default 60000. */
                maxMs?: number;
                /** @description Default true. */
                jitter?: boolean;
            };
        };
        /**
         * @description Why a device failed: `offline` (not connected, nothing delivered), `timeout` (no answer in
         *     time), `rejected` (the device refused or failed the operation), `hub` (the hub could not
         *     be reached or answered an error), `throttled` (the hub kept answering 429).
         * @enum {string}
         */
        FailureKind: "offline" | "timeout" | "rejected" | "hub" | "throttled";
        /**
         * @description The job as recorded when a command on it is answered: its definition, status and creation
         *     time. `GET /api/jobs/{id}` adds the counts, the start and end times and the error.
         */
        AcceptedJob: {
            id: components["schemas"]["Id"];
            displayName: string;
            description: string;
            deviceSet: components["schemas"]["Id"];
            devices: components["schemas"]["Id"][] | null;
            operations: components["schemas"]["JobOperation"][];
            /** @description The job's rollout as it was asked (defaults not filled in); absent when the job has none. */
            rollout?: components["schemas"]["Rollout"];
            /** @description When the job may start and start devices, as created (`startAt` in UTC); absent for a job without one. */
            schedule?: {
                startAt?: components["schemas"]["Instant"];
                windows?: components["schemas"]["JobScheduleBody"]["windows"];
            };
            /** @description The start a scheduled job still waits for (it stays `pending` until then); `null` otherwise. */
            nextStartAt?: components["schemas"]["Instant"] | null;
            status: components["schemas"]["JobStatus"];
            /**
             * @description The jobs a job created with `onConflict: queue` still waits for: it stays `pending`, with
             *     nothing targeted or sent, until every one has completed, failed or been stopped, then starts
             *     by itself. Empty otherwise.
             */
            waitingFor?: components["schemas"]["Id"][];
            createdAt: components["schemas"]["Instant"];
            /** @description Who created the job; `null` when no actor was recorded. */
            createdBy?: components["schemas"]["ActorRef"] | null;
            approval?: components["schemas"]["JobApproval"];
            /** @description The job this one reruns (`POST /api/jobs/{id}/rerun`); `null` for a job created from a body. */
            rerunOf?: components["schemas"]["Id"] | null;
            /**
             * @description The job this one reverts (`POST /api/jobs/{id}/revert`); absent for other jobs. Each
             *     operation's `value` is what that job wrote; each device gets back its own previous value.
             */
            revertOf?: components["schemas"]["Id"];
            /** @description The recurring schedule this job is a run of (`GET /api/schedules/{id}`); absent for any other job. */
            scheduleId?: components["schemas"]["Id"];
            /** @description Which run of its schedule the job is (1 for the first); absent for a job of no schedule. */
            scheduleRun?: number;
        };
        /**
         * @description Whether the job waits for a second person's approval (the two-person rule); `null` when it
         *     needs none. While `approvedAt` is null the job stays `pending` and nothing of it runs.
         */
        JobApproval: null | {
            /** @constant */
            required: true;
            /** @description Why, e.g. `requested by its creator`, `it runs a command`, `more than 100 devices`. */
            reason: string;
            /** @description The operator who approved it (never its creator); `null` until approved. */
            approvedBy: components["schemas"]["ActorRef"] | null;
            approvedAt: components["schemas"]["Instant"] | null;
        };
        Job: {
            id: components["schemas"]["Id"];
            displayName: string;
            description: string;
            deviceSet: components["schemas"]["Id"];
            /** @description The explicit subset chosen; `null` means every device of the set. */
            devices: components["schemas"]["Id"][] | null;
            operations: components["schemas"]["JobOperation"][];
            status: components["schemas"]["JobStatus"];
            /**
             * @description The jobs a job created with `onConflict: queue` still waits for: it stays `pending`, with
             *     nothing targeted or sent, until every one has completed, failed or been stopped, then starts
             *     by itself. Empty otherwise.
             */
            waitingFor?: components["schemas"]["Id"][];
            /** @description Why a failed job failed. */
            error: string | null;
            createdAt: components["schemas"]["Instant"];
            startedAt: components["schemas"]["Instant"] | null;
            endedAt: components["schemas"]["Instant"] | null;
            counts: {
                total: number;
                pending: number;
                completed: number;
                failed: number;
            };
            /** @description The job's rollout as it was created (without the defaults applied); `null` for a job without one. */
            rollout: components["schemas"]["Rollout"] | null;
            /**
             * @description Where the job's rollout stands, as the dispatchers last reported it (every few seconds
             *     while devices run, at once when the batch, a batch's state or the rate changes); `null`
             *     for a job without a rollout, and until the first report. When a rollout halts the job, the
             *     job's `error` gives the reason (the abort rule and its figures, or the failed success gate).
             */
            rolloutProgress: components["schemas"]["RolloutProgress"] | null;
            approval: components["schemas"]["JobApproval"];
            /** @description Who created the job; `null` when the request named no one (jobs from before sign-in). */
            createdBy: components["schemas"]["ActorRef"] | null;
            /** @description Who stopped the job; `null` unless it was stopped by a person or script. */
            stoppedBy: components["schemas"]["ActorRef"] | null;
            /** @description The job this one reruns (`POST /api/jobs/{id}/rerun`); `null` for a job created from a body. */
            rerunOf?: components["schemas"]["Id"] | null;
            /**
             * @description The job this one reverts (`POST /api/jobs/{id}/revert`); absent for any other job. Each
             *     operation's `value` is what that job wrote; each device gets back its own previous value.
             */
            revertOf?: components["schemas"]["Id"];
            /** @description The recurring schedule this job is a run of (`GET /api/schedules/{id}`); absent for any other job. */
            scheduleId?: components["schemas"]["Id"];
            /** @description Which run of its schedule the job is (1 for the first); absent for a job of no schedule. */
            scheduleRun?: number;
            /** @description When the job may start and start devices, as created (`startAt` in UTC); absent for a job without one. */
            schedule?: {
                startAt?: components["schemas"]["Instant"];
                windows?: components["schemas"]["JobScheduleBody"]["windows"];
            };
            /** @description The start a scheduled job still waits for (it stays `pending` until then); `null` otherwise. */
            nextStartAt?: components["schemas"]["Instant"] | null;
            /**
             * @description When the job's outcomes became final (its `JobSettled` event): no device of it reports
             *     any more, so its counts and device list will not change again. `null` until then; a
             *     stopped job ends (`endedAt`) before it settles, once its devices in flight have reported.
             */
            settledAt?: components["schemas"]["Instant"] | null;
        };
        RolloutProgress: {
            /** @description 0-based index of the batch devices are taken from now. */
            currentBatch: number;
            /** @description Batches of the job (1 for a job without batches; 0 while its devices are not all known). */
            batchCount: number;
            /** @description The batches started so far, in order; batches not yet started are not listed. */
            batches: components["schemas"]["RolloutBatch"][];
            /** @description Device operations per minute the job runs at now; `null` for a job without a rate. */
            ratePerMinute: number | null;
            /**
             * @description Why the rate is what it is: "fixed at 600/min", "ramp: 30 → 60/min after 50 successes",
             *     "starting at 60/min", "healthy: 240 → 300/min", "throttled by the hub (429): 600 → 300/min",
             *     "failure rate 15 % > 10 %: 600 → 300/min", "device latency 6200 ms > 5000 ms: 600 → 300/min",
             *     or "… held at the floor/ceiling of N/min". An adaptive rate is judged every 2 s: a 429, a
             *     share of failures above `maxFailurePercent` (timeouts, hub errors and throttling only — an
             *     offline or refusing device says nothing about load; at least 5 outcomes) or a mean device
             *     latency above `maxLatencyMs` multiply it by `decreaseFactor`; a healthy window that used at
             *     least 80 % of the rate adds `stepPerMinute`. `null` for a job without a rate.
             */
            rateReason: string | null;
            /** @description Until when the job waits between batches; `null` when it does not wait. */
            pausedUntil: components["schemas"]["Instant"] | null;
        };
        RolloutBatch: {
            index: number;
            /** @description Devices in the batch. */
            size: number;
            completed: number;
            failed: number;
            /**
             * @description `running` while devices of the batch are still to run; `passed` once the job moved past it,
             *     or all its devices have an outcome and its success gate is met; `gateFailed` when its success
             *     gate stopped the job (or a batch that is done did not meet it).
             * @enum {string}
             */
            state: "running" | "passed" | "gateFailed";
        };
        JobPage: {
            value: components["schemas"]["Job"][];
            nextCursor: string | null;
        };
        JobDevice: {
            deviceId: components["schemas"]["Id"];
            /** @description `null` until the device's name is known to the job. */
            displayName: string | null;
            status: components["schemas"]["DeviceJobStatus"];
            /** @description Why the device failed. */
            error: string | null;
            /** @description The device was deleted after the job started. */
            deleted: boolean;
            /**
             * @description Attempts made on the device, the last one included (a rollout's retries add to it); `null`
             *     while the device is pending. Counts stay per device, never per attempt.
             */
            attempts: number | null;
        };
        /**
         * @description RFC 4180 CSV in UTF-8, CRLF line ends: the header `deviceId,displayName,status,error,deleted,attempts`,
         *     then one record per device with the fields of `JobDevice` (`null` as an empty cell). A text
         *     cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so that spreadsheets do
         *     not read it as a formula.
         */
        JobDevicesCsv: string;
        /** @description One `JobDevice` JSON object per line, each line ending in LF. */
        JobDevicesNdjson: string;
        JobDevicePage: {
            value: components["schemas"]["JobDevice"][];
            nextCursor: string | null;
        };
    };
    responses: {
        /**
         * @description No credentials, or credentials that are not valid: malformed, unknown, expired, revoked, of
         *     another issuer or for another audience. The detail says which; `errors[].field` is
         *     `authorization`. Answered with `WWW-Authenticate: Bearer`.
         */
        Unauthorized: {
            headers: {
                /** @example Bearer realm="fleetjobs", error="invalid_token", error_description="the token has expired" */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "about:blank",
                 *       "title": "Unauthorized",
                 *       "status": 401,
                 *       "detail": "The token has expired.",
                 *       "instance": "/api/jobs",
                 *       "errors": [
                 *         {
                 *           "field": "authorization",
                 *           "message": "the token has expired"
                 *         }
                 *       ]
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description The caller's role does not cover the operation (its `x-fleetjobs-role`); the problem names
         *     the role needed. A write from a page of another site is refused the same way, naming `origin`.
         */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "about:blank",
                 *       "title": "Forbidden",
                 *       "status": 403,
                 *       "detail": "This needs the operator role; vera has the viewer role.",
                 *       "instance": "/api/jobs/raise-fan-speed/stop",
                 *       "errors": [
                 *         {
                 *           "field": "authorization",
                 *           "message": "needs the operator role"
                 *         }
                 *       ]
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The job was created and runs. */
        JobAccepted: {
            headers: {
                Location: components["headers"]["JobLocation"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["AcceptedJob"];
            };
        };
        /** @description Malformed JSON, unknown fields, wrong types or values out of range; each offending field is named. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "about:blank",
                 *       "title": "Invalid request",
                 *       "status": 400,
                 *       "detail": "The request has invalid fields.",
                 *       "instance": "/api/jobs/raise-fan-speed",
                 *       "errors": [
                 *         {
                 *           "field": "operations[0].type",
                 *           "message": "must be one of property, setting, command"
                 *         }
                 *       ]
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Nothing has this id. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is larger than 16 MiB (a job's, 4 MiB); `errors[].field` is `body`. */
        TooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is in another charset than UTF-8, or in a content encoding the server does not read; `errors[].field` is `body`. */
        UnsupportedEncoding: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description A limit that frees up with time: this caller sent more than `RATE_LIMIT_PER_MINUTE` API
         *     requests in a minute, keeps `STREAMS_PER_CALLER` job streams open already, or (creating a job)
         *     `MAX_ACTIVE_JOBS` jobs are pending, running or paused. Nothing was done; retry after
         *     `Retry-After` seconds.
         */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "about:blank",
                 *       "title": "Too Many Requests",
                 *       "status": 429,
                 *       "detail": "200 jobs are already active, the most at once (MAX_ACTIVE_JOBS); wait for one to end, or stop one."
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description Something the request needs (the service's database, the event log, another service) is
         *     unavailable; nothing was done. Retry after `Retry-After` seconds. The detail names what is
         *     unavailable, never an address.
         */
        ServiceUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "about:blank",
                 *       "title": "Service Unavailable",
                 *       "status": 503,
                 *       "detail": "The database this request needs is unavailable; try again shortly.",
                 *       "instance": "/api/jobs/raise-fan-speed"
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request names something that does not exist (a template); each offending field is named. */
        Unprocessable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The device set is broken (`errors[].field` is `deviceSet`). */
        BrokenDeviceSet: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description The device set is broken (`errors[].field` is `deviceSet`), or active jobs write the same
         *     property or setting on some of the job's devices and it says `onConflict: refuse` (the
         *     default): `errors[].field` is `onConflict`, and `conflicts` names each such job with the
         *     number of devices both hold. Nothing is created.
         */
        JobConflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["JobConflictProblem"];
            };
        };
        /**
         * @description The job does not fit: an unknown device set, a set that fixes no template, an operation
         *     the template does not have, a value of the wrong schema, chosen devices outside the set.
         *     Each offending field is named (`deviceSet`, `operations[0].name`, `operations[0].value`,
         *     `devices[3]`).
         */
        JobUnprocessable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "type": "about:blank",
                 *       "title": "Unprocessable request",
                 *       "status": 422,
                 *       "detail": "The request cannot be carried out as it stands.",
                 *       "instance": "/api/jobs/raise-fan-speed",
                 *       "errors": [
                 *         {
                 *           "field": "operations[0].value",
                 *           "message": "must be a number"
                 *         }
                 *       ]
                 *     }
                 */
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        Id: components["schemas"]["Id"];
        /** @description Items per page. */
        Limit: number;
        /** @description The `nextCursor` of the previous page. */
        Cursor: string;
        /**
         * @description Answer as things were at this instant (the past or now, never the future): a date
         *     (`2026-03-01`, UTC midnight) or a date and time with its zone, years 0001–9999. The answer
         *     is folded from the events' own times, so it is the same after the read model is rebuilt.
         *     Before the job was created the answer is 404. An unreadable or future `at` is a 400 naming `at`.
         */
        At: string;
    };
    requestBodies: {
        JobBody: {
            content: {
                /**
                 * @example {
                 *       "displayName": "Raise fan speed",
                 *       "description": "Hot week in Seattle",
                 *       "deviceSet": "seattle-vms",
                 *       "devices": [
                 *         "vm-001",
                 *         "vm-002"
                 *       ],
                 *       "operations": [
                 *         {
                 *           "type": "setting",
                 *           "name": "fanSpeed",
                 *           "value": 5
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["JobBody"];
            };
        };
    };
    headers: {
        /** @description Seconds to wait before retrying. */
        RetryAfter: number;
        /** @description The job's URL, `/api/jobs/{id}`; for a body with `schedule.recurrence`, the schedule's, `/api/schedules/{id}`. */
        JobLocation: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listDeviceTemplates: {
        parameters: {
            query?: {
                /** @description Items per page. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of templates. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceTemplatePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getDeviceTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The template. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceTemplate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    putDeviceTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "displayName": "Refrigerated vending machine",
                 *       "capabilities": [
                 *         {
                 *           "name": "fanSpeed",
                 *           "kind": "setting",
                 *           "schema": "number"
                 *         },
                 *         {
                 *           "name": "location",
                 *           "kind": "property",
                 *           "schema": "string"
                 *         },
                 *         {
                 *           "name": "reboot",
                 *           "kind": "command",
                 *           "schema": "object"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["DeviceTemplateBody"];
            };
        };
        responses: {
            /** @description Replaced. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceTemplate"];
                };
            };
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceTemplate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteDeviceTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listDevices: {
        parameters: {
            query?: {
                /** @description Only the devices of this template. */
                template?: components["schemas"]["Id"];
                /** @description Items per page. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of devices. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DevicePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    batchDevices: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeviceBatchBody"];
            };
        };
        responses: {
            /** @description All devices were written. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceBatchResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    importDevices: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The import finished. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceImportResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            429: components["responses"]["TooManyRequests"];
            /** @description The hub could not be read; the detail says how many devices were imported before. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description This deployment is not connected to a hub, or something the import needs (the database,
             *     the event log) is unavailable; in that case with `Retry-After`.
             */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDevice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The device. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Device"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    putDevice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "displayName": "Vending machine 1",
                 *       "template": "vending-machine",
                 *       "tags": {
                 *         "city": "Seattle"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["DeviceBody"];
            };
        };
        responses: {
            /** @description Replaced. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Device"];
                };
            };
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Device"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteDevice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listDeviceSets: {
        parameters: {
            query?: {
                /** @description Items per page. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of sets. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceSetPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getDeviceSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The set. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceSet"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    putDeviceSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "displayName": "Seattle vending machines",
                 *       "conditions": [
                 *         {
                 *           "field": "template",
                 *           "operator": "eq",
                 *           "value": "vending-machine"
                 *         },
                 *         {
                 *           "field": "tags.city",
                 *           "operator": "eq",
                 *           "value": "Seattle"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["DeviceSetBody"];
            };
        };
        responses: {
            /** @description Replaced. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceSet"];
                };
            };
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceSet"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteDeviceSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listDeviceSetMembers: {
        parameters: {
            query?: {
                /** @description Items per page. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of member devices. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DevicePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The set is broken; the problem says why. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listJobs: {
        parameters: {
            query?: {
                status?: components["schemas"]["JobStatus"];
                /** @description Only the runs of this recurring schedule. */
                scheduleId?: components["schemas"]["Id"];
                /** @description Items per page. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of jobs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createJob: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["JobBody"];
        responses: {
            201: components["responses"]["JobAccepted"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["JobConflict"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            422: components["responses"]["JobUnprocessable"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    previewJob: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "displayName": "Raise fan speed",
                 *       "deviceSet": "seattle-vms",
                 *       "operations": [
                 *         {
                 *           "type": "setting",
                 *           "name": "fanSpeed",
                 *           "value": 5
                 *         }
                 *       ],
                 *       "rollout": {
                 *         "batches": {
                 *           "size": 50
                 *         },
                 *         "pauseBetweenSeconds": 60,
                 *         "rate": {
                 *           "perMinute": 600
                 *         }
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["JobPreviewBody"];
            };
        };
        responses: {
            /** @description The job would be accepted; what it would target, how long it would take, what it overlaps. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPreview"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /**
             * @description The id is already used by a job with another definition (`errors[].field` is `id`), or
             *     the device set is broken (`errors[].field` is `deviceSet`).
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            422: components["responses"]["JobUnprocessable"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getJob: {
        parameters: {
            query?: {
                /**
                 * @description Answer as things were at this instant (the past or now, never the future): a date
                 *     (`2026-03-01`, UTC midnight) or a date and time with its zone, years 0001–9999. The answer
                 *     is folded from the events' own times, so it is the same after the read model is rebuilt.
                 *     Before the job was created the answer is 404. An unreadable or future `at` is a 400 naming `at`.
                 */
                at?: components["parameters"]["At"];
            };
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    putJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["JobBody"];
        responses: {
            /** @description The job already exists with this definition; nothing changed. */
            200: {
                headers: {
                    Location: components["headers"]["JobLocation"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedJob"];
                };
            };
            201: components["responses"]["JobAccepted"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /**
             * @description The id is already used by a job with another definition (`errors[].field` is `id`), the
             *     device set is broken (`errors[].field` is `deviceSet`), or active jobs write the same
             *     property or setting on some of the job's devices and it says `onConflict: refuse` (the
             *     default; `errors[].field` is `onConflict`, and `conflicts` names each job and the number
             *     of shared devices).
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["JobConflictProblem"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            422: components["responses"]["JobUnprocessable"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listJobDevices: {
        parameters: {
            query?: {
                /**
                 * @description Answer as things were at this instant (the past or now, never the future): a date
                 *     (`2026-03-01`, UTC midnight) or a date and time with its zone, years 0001–9999. The answer
                 *     is folded from the events' own times, so it is the same after the read model is rebuilt.
                 *     Before the job was created the answer is 404. An unreadable or future `at` is a 400 naming `at`.
                 */
                at?: components["parameters"]["At"];
                status?: components["schemas"]["DeviceJobStatus"];
                /** @description Only the devices whose id contains this text, ignoring case. */
                search?: string;
                /** @description Items per page. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the job's devices. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobDevicePage"];
                    "text/csv": components["schemas"]["JobDevicesCsv"];
                    "application/x-ndjson": components["schemas"]["JobDevicesNdjson"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    exportJobDevicesCsv: {
        parameters: {
            query?: {
                /**
                 * @description Answer as things were at this instant (the past or now, never the future): a date
                 *     (`2026-03-01`, UTC midnight) or a date and time with its zone, years 0001–9999. The answer
                 *     is folded from the events' own times, so it is the same after the read model is rebuilt.
                 *     Before the job was created the answer is 404. An unreadable or future `at` is a 400 naming `at`.
                 */
                at?: components["parameters"]["At"];
                status?: components["schemas"]["DeviceJobStatus"];
                /** @description Only the devices whose id contains this text, ignoring case. */
                search?: string;
            };
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job's devices. */
            200: {
                headers: {
                    /** @description attachment; filename="<jobId>-devices.csv" */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": components["schemas"]["JobDevicesCsv"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    exportJobDevicesNdjson: {
        parameters: {
            query?: {
                /**
                 * @description Answer as things were at this instant (the past or now, never the future): a date
                 *     (`2026-03-01`, UTC midnight) or a date and time with its zone, years 0001–9999. The answer
                 *     is folded from the events' own times, so it is the same after the read model is rebuilt.
                 *     Before the job was created the answer is 404. An unreadable or future `at` is a 400 naming `at`.
                 */
                at?: components["parameters"]["At"];
                status?: components["schemas"]["DeviceJobStatus"];
                /** @description Only the devices whose id contains this text, ignoring case. */
                search?: string;
            };
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job's devices. */
            200: {
                headers: {
                    /** @description attachment; filename="<jobId>-devices.ndjson" */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": components["schemas"]["JobDevicesNdjson"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    streamJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example event: job
                     *     data: {"id":"raise-fan-speed","status":"running","counts":{"total":2,"pending":1,"completed":1,"failed":0}}
                     */
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    stopJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job is stopped. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The job already ended (completed or failed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    approveJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job is approved (or needed no approval); `approval` says by whom and when. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /**
             * @description The caller lacks the operator role, or is the job's creator: a job cannot be approved by
             *     the one who created it (the problem names the field `actor`).
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The job ended (e.g. was stopped) before it was approved. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    rerunJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "devices": "failed"
                 *     }
                 */
                "application/json": {
                    /** @description The new job's id; omitted, the server chooses one. */
                    id?: components["schemas"]["Id"];
                    devices: ("failed" | "all") | components["schemas"]["Id"][];
                };
            };
        };
        responses: {
            /** @description A job with this `id` and this definition exists already; nothing changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedJob"];
                };
            };
            201: components["responses"]["JobAccepted"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such job, or it settled more than `JOB_RETENTION_DAYS` ago (its history is gone). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The original job is still pending, running or paused, or the `id` is used by another job,
             *     or active jobs write the same property or setting on some of the devices (the rerun is
             *     created with `onConflict: refuse`; `conflicts` names them).
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["JobConflictProblem"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            /**
             * @description The devices cannot be rerun: `devices` when the original has no failed devices or more than
             *     10,000 (a job names at most 10,000), `devices[i]` for each listed device the original job
             *     did not target; or the new job is refused as `POST /api/jobs` would refuse it.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    revertJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "id": "undo-move-to-berlin"
                 *     }
                 */
                "application/json": {
                    /** @description The revert job's id; omitted, the server chooses one. */
                    id?: components["schemas"]["Id"];
                };
            };
        };
        responses: {
            /** @description A job with this `id` and this definition exists already; nothing changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedJob"];
                };
            };
            201: components["responses"]["JobAccepted"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such job, or it settled more than `JOB_RETENTION_DAYS` ago (its history is gone). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The original job is still pending, running or paused, or writes no property or setting
             *     (commands cannot be reverted), or the `id` is used by another job, or active jobs write
             *     the same property or setting on some of the devices (the revert is created with
             *     `onConflict: refuse`; `conflicts` names them).
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["JobConflictProblem"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            /** @description The revert job is refused as `POST /api/jobs` would refuse it (its device set is gone or broken, say). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    copyJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The draft. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobBody"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    pauseJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job is paused. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The job already ended (completed, failed or stopped); the problem names its status. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    resumeJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job is resumed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The job is not paused (pending or running), or it already ended; the problem names its status. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listSchedules: {
        parameters: {
            query?: {
                /** @description Items per page. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of schedules. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SchedulePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schedule. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schedule is deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    pauseSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schedule is paused. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The schedule has ended; the problem names its status. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    resumeSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schedule is active again (or ended, when no occurrence is left). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The schedule has ended; the problem names its status. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listAuditEntries: {
        parameters: {
            query?: {
                /** @description An actor id: `user:<subject>`, `token:<token id>` or `local:anonymous`. */
                actor?: string;
                action?: components["schemas"]["AuditAction"];
                /** @description The id of the job, device, template, set or token concerned. */
                subject?: string;
                /** @description Entries at or after this instant: a date (`2026-03-01`, UTC midnight) or a date and time with its zone. */
                from?: string;
                /** @description Entries before this instant; must be later than `from`. */
                to?: string;
                /** @description Items per page. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of audit entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEntryPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getAuthConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sign-in mode. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthConfig"];
                };
            };
            400: components["responses"]["BadRequest"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller, as the commands they send are recorded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listApiTokens: {
        parameters: {
            query?: {
                /** @description Items per page. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of tokens. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createApiToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewApiToken"];
            };
        };
        responses: {
            /** @description The token, with its secret. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiToken"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedEncoding"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    revokeApiToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token is revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI description of this API. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": string;
                };
            };
            /** @description The client's copy (named by `If-None-Match`) is this version. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            429: components["responses"]["TooManyRequests"];
        };
    };
}
