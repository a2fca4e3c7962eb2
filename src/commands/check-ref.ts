// `check-ref`: reads the tag that triggered the workflow (or `ref`) into
// outputs a deploy job can use. Anything that is no GTO event is reported as
// `is-gto-tag=false`, never as a failure.

import * as core from '@actions/core'
import type { Outputs } from '../action/outputs.js'
import { checkRefJson } from '../core/report.js'
import { artifactOf } from '../core/registry.js'
import { parseTag } from '../core/tags.js'
import { isoTime } from '../core/events.js'
import type { Repository } from './repository.js'

export const NOT_A_GTO_TAG: Outputs = { 'is-gto-tag': 'false' }

/** The tag name a ref names: `refs/tags/T` or `T`; undefined for a branch. */
export function tagNameOf(ref: string): string | undefined {
  if (ref.startsWith('refs/tags/')) return ref.slice('refs/tags/'.length)
  if (ref.startsWith('refs/') || ref === '') return undefined
  return ref
}

export async function checkRef(repo: Repository): Promise<Outputs> {
  const ref = repo.settings.ref || process.env.GITHUB_REF || ''
  const tag = tagNameOf(ref)
  if (tag === undefined || !parseTag(tag)?.action) {
    core.info(`Not a GTO tag: '${ref}'`)
    return NOT_A_GTO_TAG
  }

  await repo.syncTags()
  const { records, registry } = await repo.snapshot()
  const record = records.find(r => r.tag === tag)
  if (!record) {
    core.warning(`Tag ${tag} does not exist in the repository or its remote`)
    return NOT_A_GTO_TAG
  }
  if (!record.annotated) {
    core.info(`Tag ${tag} is lightweight: GTO reads only annotated tags`)
    return NOT_A_GTO_TAG
  }

  const parsed = parseTag(tag)
  const artifact = artifactOf(registry, parsed?.name ?? '')
  const event = artifact?.events.find(e => e.tag === tag)
  if (!event) return NOT_A_GTO_TAG

  const annotation = await repo.annotation(event.commit, event.artifact)
  const version = event.event === 'deprecation' ? '' : (event.version ?? '')
  const entry = {
    event: event.event,
    name: event.artifact,
    version,
    stage: event.stage ?? '',
    tag,
    commit: event.commit
  }
  core.info(`${tag}: ${event.event} of ${event.artifact} ${version}`)
  return {
    'is-gto-tag': 'true',
    ...entry,
    counter: event.counter === undefined ? '' : String(event.counter),
    message: event.message,
    author: event.author,
    'author-email': event.authorEmail,
    'created-at': isoTime(event.time, event.offset),
    type: annotation?.type ?? '',
    path: annotation?.path ?? '',
    description: annotation?.description ?? '',
    deleted: 'false',
    matrix: JSON.stringify({ include: [entry] }),
    json: JSON.stringify(checkRefJson(event))
  }
}
