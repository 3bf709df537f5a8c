-- One database per service (run once by the postgres image on an empty data directory).
-- Each service creates its own tables on start.
CREATE DATABASE fleetjobs_hub_simulator;
CREATE DATABASE fleetjobs_device_set;
CREATE DATABASE fleetjobs_job_command;
CREATE DATABASE fleetjobs_dispatcher;
CREATE DATABASE fleetjobs_projection;
