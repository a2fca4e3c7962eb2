// `check-ref`: reads the tag a workflow run is about into outputs a deploy
// job can use. Anything that is no GTO event is reported as
// `is-gto-tag=false`, never as a failure.

import * as core from '@actions/core'
import type { Outputs } from '../action/outputs.js'
import { triggerOf } from '../action/trigger.js'
import { KIND_OF, type RegistryEvent } from '../core/events.js'
import { artifactOf } from '../core/registry.js'
import { parseTag, type ParsedTag } from '../core/tags.js'
import { eventOutputs } from './event-outputs.js'
import type { Repository } from './repository.js'

export const NOT_A_GTO_TAG: Outputs = { 'is-gto-tag': 'false' }

export async function checkRef(repo: Repository): Promise<Outputs> {
  const trigger = await triggerOf(repo.settings.ref)
  const tag = trigger.tag
  const parsed = tag === undefined ? undefined : parseTag(tag)
  if (tag === undefined || !parsed?.action) {
    // Quoted as JSON: a dispatched tag is anyone's text and must not
    // smuggle a workflow command onto a line of its own.
    core.info(
      `Not a GTO tag (${trigger.source}): ${JSON.stringify(trigger.ref)}`
    )
    return NOT_A_GTO_TAG
  }
  if (trigger.deleted) return deletedTag(tag, parsed)

  // Only this artifact's tags matter: they decide the version at the commit.
  await repo.syncTags({ name: parsed.name })
  const { records, registry } = await repo.snapshot(parsed.name)
  const record = records.find(r => r.tag === tag)
  if (!record || !record.annotated) {
    core.warning(`${describeMissing(tag, !record)} ${await whereLooked(repo)}`)
    return NOT_A_GTO_TAG
  }

  const event = artifactOf(registry, parsed.name)?.events.find(
    e => e.tag === tag
  ) as RegistryEvent
  core.info(`${tag}: ${describe(event)}`)
  return {
    ...(await eventOutputs(repo, event)),
    'is-gto-tag': 'true',
    deleted: 'false'
  }
}

/**
 * A deleted tag: its name still says the event, artifact, stage or version
 * and counter; the commit, tagger and message went with the tag object.
 */
function deletedTag(tag: string, parsed: ParsedTag): Outputs {
  const entry = {
    event: KIND_OF[parsed.action as NonNullable<ParsedTag['action']>],
    name: parsed.name,
    version: parsed.version ?? '',
    stage: parsed.stage ?? '',
    tag,
    commit: ''
  }
  core.info(`${tag} was deleted: ${entry.event} of ${entry.name}`)
  return {
    'is-gto-tag': 'true',
    ...entry,
    counter: parsed.counter === undefined ? '' : String(parsed.counter),
    deleted: 'true',
    matrix: JSON.stringify({ include: [{ ...entry, deleted: true }] }),
    json: JSON.stringify({
      artifact: parsed.name,
      tag,
      ...pick(parsed),
      event: entry.event
    })
  }
}

function pick(parsed: ParsedTag) {
  return {
    ...(parsed.version ? { version: parsed.version } : {}),
    ...(parsed.stage ? { stage: parsed.stage } : {})
  }
}

function describeMissing(tag: string, absent: boolean): string {
  // Reading tags leaves out tags of trees, blobs and other tags.
  return absent
    ? `Tag ${tag} is not in this checkout as a tag of a commit.`
    : `Tag ${tag} is a lightweight tag here, and GTO reads only annotated ` +
        'tags.'
}

async function whereLooked(repo: Repository): Promise<string> {
  const { fetch, remote } = repo.settings
  if (!fetch) {
    return `'fetch: false' kept the tags of '${remote}' out; set it to true to look there.`
  }
  if (!(await repo.hasRemote())) {
    return `There is no remote '${remote}' to fetch it from.`
  }
  return `'${remote}' has no annotated tag of that name either.`
}

function describe(event: RegistryEvent): string {
  const what = event.stage ? `stage ${event.stage} of ` : ''
  return `${event.event} of ${what}${event.artifact} ${event.version ?? ''}`
}
