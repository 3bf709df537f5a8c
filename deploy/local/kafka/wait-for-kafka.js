#!/usr/bin/env node
// Waits until the broker answers a metadata request and coordinates consumer groups (on a fresh
// broker the first group lookup creates __consumer_offsets), or fails after the deadline.
// Usage: node wait-for-kafka.js <host:port> <deadline-seconds> [pid-to-watch]
'use strict';

const { Kafka, logLevel } = require('kafkajs');

const [broker = '127.0.0.1:9092', deadlineSeconds = '90', watchedPid] = process.argv.slice(2);
const deadline = Date.now() + Number(deadlineSeconds) * 1000;

function processAlive(pid) {
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function clusterAnswers() {
  const admin = new Kafka({
    clientId: 'fleetjobs-wait-for-kafka',
    brokers: [broker],
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0 || cluster.controller === null) return false;
    await admin.describeGroups(['fleetjobs-readiness']);
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function main() {
  while (Date.now() < deadline) {
    if (watchedPid && !processAlive(watchedPid)) {
      console.error(`kafka: broker process ${watchedPid} exited before it answered`);
      process.exit(2);
    }
    if (await clusterAnswers()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.error(`kafka: no answer from ${broker} within ${deadlineSeconds}s`);
  process.exit(1);
}

main();
