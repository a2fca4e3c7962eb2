// Applying a change: creating tags and pushing them as one atomic push, or
// deleting tags on the remote and then locally. A failure leaves nothing
// behind; a push that lost a race with another run is planned again on the
// fresh tags, up to `retries` times.

import * as core from '@actions/core'
import { dispatch } from '../action/dispatch.js'
import type { Outputs } from '../action/outputs.js'
import { KIND_OF, eventOf, type RegistryEvent } from '../core/events.js'
import type { Change, PlannedTag } from '../core/plan.js'
import { checkRefJson } from '../core/report.js'
import type { GitResult, Lease } from '../git/git.js'
import { eventOutputs } from './event-outputs.js'
import {
  LOCK_PREFIX,
  UserError,
  type Repository,
  type Snapshot
} from './repository.js'

export type Planner = (snapshot: Snapshot) => Change

export async function applyChange(
  repo: Repository,
  plan: Planner
): Promise<Outputs> {
  const { settings } = repo
  const push = settings.push && !settings.dryRun
  if (push && !(await repo.hasRemote())) {
    throw new UserError(
      `Input 'remote' names no remote of this repository: ` +
        `'${settings.remote}'. Set 'remote', or 'push: false' to change ` +
        'tags only locally.'
    )
  }

  for (let attempt = 0; ; attempt++) {
    // The command synced before resolving its inputs; a retry syncs again.
    if (attempt > 0) await repo.syncTags({ name: settings.name })
    const snapshot = await repo.snapshot(settings.name)
    const change = plan(snapshot)
    if (push) checkNothingLocalOnly(repo, snapshot, change)
    if (change.kind === 'delete') {
      return deleteTags(repo, change, push)
    }
    const tags = change.tags
    await checkLegal(repo, tags)
    if (settings.dryRun) {
      for (const t of tags)
        core.info(`Would create tag ${t.tag} on ${t.commit}`)
      return outputsOf(repo, tags, false)
    }

    await createAll(repo, tags)
    if (!push) return outputsOf(repo, tags, false)

    const result = await pushTags(
      repo,
      tags.map(t => t.tag),
      false,
      await leasesOf(repo, tags)
    )
    if (result.exitCode === 0 && !pushedNothing(result, tags)) {
      const outputs = await outputsOf(repo, tags, true)
      await sendDispatch(repo, outputs)
      return outputs
    }

    await repo.git.deleteLocalTags(tags.map(t => t.tag))
    if (lockRefused(result) && repo.disableLocks()) {
      core.warning(
        `${settings.remote} refuses the counter lock ref under ` +
          "'refs/gto-action/' (a hook or a ruleset); pushing without it. " +
          'Counters are then not protected against another run pushing at ' +
          'the same moment: allow that ref to keep them distinct.'
      )
      continue
    }
    if (!lostRace(result) || attempt >= settings.retries) {
      throw pushError(repo, result, attempt)
    }
    core.warning(
      `Another run pushed to ${settings.remote} first; fetching its tags ` +
        `and trying again (retry ${attempt + 1} of ${settings.retries})`
    )
    await backOff(attempt)
  }
}

/** Refuses to push a change that builds on tags the remote does not have. */
function checkNothingLocalOnly(
  repo: Repository,
  snapshot: Snapshot,
  change: Change
) {
  const name =
    change.kind === 'create' ? change.tags[0].name : change.events[0].artifact
  const only = repo.localOnly(snapshot.records, name)
  if (only.length === 0) return
  throw new UserError(
    `Tags of '${name}' exist in this checkout but not on ` +
      `${repo.settings.remote}: ${only.join(', ')}. A push built on them ` +
      'would leave the remote inconsistent: push them first (an earlier ' +
      "step with 'push: false' made them?), or delete them here with " +
      "'git tag -d'."
  )
}

/**
 * GTO's name rules allow some names git refuses as refs (`a//b`, a part
 * ending in `.lock`): stop before anything is created.
 */
async function checkLegal(repo: Repository, tags: PlannedTag[]) {
  for (const t of tags) {
    if (await repo.git.isLegalTagName(t.tag)) continue
    const inputs = t.stage ? "'name' or 'stage'" : "'name'"
    throw new UserError(
      `Tag ${t.tag} is no legal git ref name (git check-ref-format refuses ` +
        `it), though GTO's rules allow it. Change the input ${inputs}: no ` +
        "'//', no part starting with '.' or ending with '.lock'."
    )
  }
}

async function createAll(repo: Repository, tags: PlannedTag[]) {
  const created: string[] = []
  try {
    for (const t of tags) {
      core.info(`Creating tag ${t.tag} on ${t.commit}`)
      await repo.git.createTag(t.tag, t.commit, t.message, repo.settings.tagger)
      created.push(t.tag)
    }
  } catch (error) {
    await repo.git.deleteLocalTags(created)
    throw error
  }
}

/** A lease per artifact that gets a counter-form tag. */
async function leasesOf(repo: Repository, tags: PlannedTag[]) {
  const leases: Lease[] = []
  for (const t of tags) {
    if (t.counter === undefined) continue
    const lease = repo.lockLease(
      t.name,
      await repo.git.refId(`refs/tags/${t.tag}`)
    )
    if (lease) leases.push(lease)
  }
  return leases
}

async function pushTags(
  repo: Repository,
  tags: string[],
  remove: boolean,
  leases: Lease[] = []
) {
  const verb = remove ? 'Deleting on' : 'Pushing to'
  core.startGroup(`${verb} ${repo.settings.remote}: ${tags.join(', ')}`)
  try {
    return await repo.git.pushTags(repo.settings.remote, tags, {
      delete: remove,
      env: await repo.remoteEnv(),
      leases
    })
  } finally {
    core.endGroup()
  }
}

/** Fires the `dispatch` event, if asked, once the tags are on the remote. */
async function sendDispatch(repo: Repository, outputs: Outputs) {
  const eventType = repo.settings.dispatch
  if (!eventType) return
  try {
    await dispatch(eventType, repo.settings.token, {
      name: outputs.name ?? '',
      version: outputs.version ?? '',
      stage: outputs.stage ?? '',
      tag: outputs.tag ?? '',
      commit: outputs.commit ?? '',
      event: outputs.event ?? ''
    })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    const failure = new UserError(
      `Tags ${outputs.tags} were pushed, but the repository_dispatch event ` +
        `'${eventType}' was not sent: ${reason}. Send it again, or deploy ` +
        'from the tag push.',
      { cause: error }
    )
    // The tags are on the remote: later steps must still learn which.
    failure.outputs = outputs
    throw failure
  }
}

/** Deletes on the remote first, so a refused push changes nothing at all. */
async function deleteTags(
  repo: Repository,
  change: Extract<Change, { kind: 'delete' }>,
  push: boolean
): Promise<Outputs> {
  const { events } = change
  const tags = events.map(e => e.tag)
  if (repo.settings.dryRun) {
    for (const tag of tags) core.info(`Would delete tag ${tag}`)
  } else {
    if (push) {
      const result = await pushTags(repo, tags, true)
      if (result.exitCode !== 0) throw pushError(repo, result, 0)
    }
    core.info(`Deleting tags ${tags.join(', ')}`)
    await repo.git.deleteLocalTags(tags)
  }
  // What the deleted tags share; a field they differ in stays empty.
  const shared = (field: 'version' | 'stage' | 'commit') =>
    events.every(e => e[field] === events[0][field])
      ? (events[0][field] ?? '')
      : ''
  return {
    event: KIND_OF[change.action],
    name: events[0].artifact,
    version: shared('version'),
    stage: shared('stage'),
    commit: shared('commit'),
    tags: JSON.stringify(tags),
    deleted: repo.settings.dryRun ? 'false' : 'true',
    pushed: String(push),
    json: JSON.stringify(events.map(checkRefJson))
  }
}

/**
 * Waits a random while that grows with each retry, so runs that collided do
 * not collide again in step.
 */
function backOff(attempt: number): Promise<void> {
  const ms = Math.random() * 250 * Math.min(attempt + 1, 8)
  return new Promise(resolve => setTimeout(resolve, ms))
}

/**
 * Whether a counter tag was already on the remote, as the very same object:
 * a rival made an identical tag (same name, commit, tagger and second) and
 * pushed it first. git calls that "up to date" and succeeds, yet this run
 * created nothing; it must take the next counter instead.
 */
function pushedNothing(result: GitResult, tags: PlannedTag[]): boolean {
  return tags.some(
    t =>
      t.counter !== undefined &&
      result.stdout.includes(`=\trefs/tags/${t.tag}:refs/tags/${t.tag}\t`)
  )
}

/**
 * Whether the remote refused the counter lock ref itself (a hook or a
 * ruleset), while every tag failed only because the push is atomic.
 */
function lockRefused(result: GitResult): boolean {
  const lines = result.stdout.split('\n').filter(l => l.startsWith('!\t'))
  const reason = (line: string) =>
    /\t\[remote rejected\] \((.*)\)$/.exec(line)?.[1] ?? ''
  const lock = lines.filter(l => l.includes(`:${LOCK_PREFIX}`))
  const others = lines.filter(l => !l.includes(`:${LOCK_PREFIX}`))
  return (
    lock.length > 0 &&
    lock.every(l => {
      const why = reason(l)
      return why !== '' && !/atomic|lock ref|update ref|old value/.test(why)
    }) &&
    others.every(l => /atomic/.test(reason(l)))
  )
}

/**
 * A rejection because the remote moved while we worked: a tag or lock ref
 * another run pushed first, seen by our side (already exists, stale info)
 * or by the server while it updated the refs (cannot lock ref).
 */
function lostRace(result: GitResult): boolean {
  const text = `${result.stdout}\n${result.stderr}`
  return (
    result.exitCode === 0 ||
    /\[rejected\] \((already exists|fetch first|stale info)\)/.test(text) ||
    /cannot lock ref|failed to update ref|incorrect old value/.test(text)
  )
}

function pushError(repo: Repository, result: GitResult, attempts: number) {
  const { remote, retries } = repo.settings
  const detail = (result.stderr.trim() || result.stdout.trim())
    .split('\n')
    .filter(line => line.trim() !== '')
    .slice(-6)
    .join('\n')
  if (lostRace(result)) {
    return new UserError(
      `Push to ${remote} lost the race with other runs ${attempts + 1} ` +
        `times (retries: ${retries}); no tag was left behind. Run again, ` +
        `or raise 'retries'.\n${detail}`
    )
  }
  return new UserError(
    `Push to ${remote} failed; no tag was changed, locally or on the ` +
      `remote. Check that the token may write contents.\n${detail}`
  )
}

async function outputsOf(
  repo: Repository,
  tags: PlannedTag[],
  pushed: boolean
): Promise<Outputs> {
  const events = await eventsOf(repo, tags)
  return {
    ...(await eventOutputs(repo, events[events.length - 1])),
    tags: JSON.stringify(tags.map(t => t.tag)),
    pushed: String(pushed),
    json: JSON.stringify(events.map(checkRefJson))
  }
}

/**
 * The events the planned tags record: read back from git when they were
 * created, so outputs say exactly what the tags hold; made up from the plan
 * on a dry run.
 */
async function eventsOf(
  repo: Repository,
  tags: PlannedTag[]
): Promise<RegistryEvent[]> {
  const records = repo.settings.dryRun
    ? []
    : await repo.git.readTags(tags.map(t => `refs/tags/${t.tag}`))
  const now = Math.floor(Date.now() / 1000)
  return tags.map(t => {
    const record = records.find(r => r.tag === t.tag)
    const event = record && eventOf(record)
    const fallback: RegistryEvent = {
      event: KIND_OF[t.action],
      artifact: t.name,
      counter: t.counter,
      tag: t.tag,
      commit: t.commit,
      time: now,
      offset: '+0000',
      author: repo.settings.tagger.name,
      authorEmail: repo.settings.tagger.email,
      message: t.message,
      seq: 0
    }
    // A stage tag's version is the one the plan resolved at its commit.
    return { ...(event ?? fallback), version: t.version, stage: t.stage }
  })
}
