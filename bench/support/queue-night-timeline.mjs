// Where a queued night's wall time went, from the queue's own table (each close job's created_on, started_on: when a
// worker fetched it, completed_on) and the ledger's runs (each close run's started_at and finished_at), read after
// the night. The lanes' time from the enqueue to the last completion splits exactly into: idle while jobs waited
// (fetch latency), busy on a job, and idle with nothing left to take (the tail).

/** The night's timeline: `syncStartedMs` and `syncEndedMs` are the bench's Date.now() around the `sync --queue` process. */
export async function queueNightTimeline(postgres, database, { lanes, syncStartedMs, syncEndedMs }) {
  const { rows } = await postgres.query(
    database,
    `SELECT extract(epoch FROM j.created_on) * 1000 AS created, extract(epoch FROM j.started_on) * 1000 AS started,
            extract(epoch FROM j.completed_on) * 1000 AS completed, j.retry_count AS retries,
            r.started_at AS run_started, r.finished_at AS run_finished
       FROM ledgerline_queue.job j LEFT JOIN runs r ON r.id = j.output->>'runId'
      WHERE j.name = 'ledgerline_close'`,
  );
  const jobs = rows.map((row) => ({
    created: Number(row.created),
    started: Number(row.started),
    completed: Number(row.completed),
    retries: Number(row.retries),
    run: row.run_started === null ? 0 : Date.parse(row.run_finished) - Date.parse(row.run_started),
  }));
  const enqueued = Math.min(...jobs.map((job) => job.created));
  const firstTaken = Math.min(...jobs.map((job) => job.started));
  const lastDone = Math.max(...jobs.map((job) => job.completed));
  const busy = jobs.reduce((sum, job) => sum + (job.completed - job.started), 0);
  const inRuns = jobs.reduce((sum, job) => sum + job.run, 0);
  const { waitedIdle, tailIdle } = idleLanes(jobs, lanes);
  // The first `lanes` jobs taken are each lane's first: a cold worker's (modules loaded, code compiled on first use).
  const byStart = [...jobs].sort((a, b) => a.started - b.started);
  const mean = (some) => some.reduce((sum, job) => sum + (job.completed - job.started), 0) / Math.max(1, some.length);
  return {
    syncToEnqueueMs: enqueued - syncStartedMs,
    enqueueToFirstTakenMs: firstTaken - enqueued,
    lanesIdleWhileJobsWaitedMs: waitedIdle,
    lanesBusyMs: busy,
    closeRunsMs: inRuns,
    tailIdleMs: tailIdle,
    lastDoneToSyncExitMs: syncEndedMs - lastDone,
    triesAgain: jobs.reduce((sum, job) => sum + job.retries, 0),
    firstJobsMeanMs: mean(byStart.slice(0, lanes)),
    laterJobsMeanMs: mean(byStart.slice(lanes)),
    lanes,
  };
}

/**
 * Lane-milliseconds idle from the enqueue to the last completion: while a job was waiting to be taken, and while
 * none was (the tail). A sweep over the jobs' created, started and completed instants.
 */
function idleLanes(jobs, lanes) {
  const events = jobs
    .flatMap((job) => [
      { at: job.created, waiting: 1, active: 0 },
      { at: job.started, waiting: -1, active: 1 },
      { at: job.completed, waiting: 0, active: -1 },
    ])
    .sort((a, b) => a.at - b.at);
  let waiting = 0;
  let active = 0;
  let waitedIdle = 0;
  let tailIdle = 0;
  for (const [index, event] of events.entries()) {
    waiting += event.waiting;
    active += event.active;
    const span = (events[index + 1]?.at ?? event.at) - event.at;
    const idle = Math.max(0, lanes - active);
    waitedIdle += Math.min(idle, waiting) * span;
    tailIdle += Math.max(0, idle - waiting) * span;
  }
  return { waitedIdle, tailIdle };
}

/** One line: the sync's start, the first fetch, each lane's share of idle-while-waiting, busy and tail, the end. */
export function timelineLine(timeline) {
  const s = (ms) => (ms / 1000).toFixed(2);
  const perLane = (ms) => s(ms / timeline.lanes);
  return (
    `sync start→enqueue ${s(timeline.syncToEnqueueMs)} s, enqueue→first taken ${s(timeline.enqueueToFirstTakenMs)} s; ` +
    `per lane: idle while jobs waited ${perLane(timeline.lanesIdleWhileJobsWaitedMs)} s, ` +
    `busy ${perLane(timeline.lanesBusyMs)} s (in close runs ${perLane(timeline.closeRunsMs)} s), ` +
    `tail idle ${perLane(timeline.tailIdleMs)} s; last done→sync exit ${s(timeline.lastDoneToSyncExitMs)} s; ` +
    `a lane's first job ${s(timeline.firstJobsMeanMs)} s, the others ${s(timeline.laterJobsMeanMs)} s (mean); ` +
    `tries again ${timeline.triesAgain}`
  );
}
