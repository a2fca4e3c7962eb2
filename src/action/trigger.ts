// Which tag a workflow run is about: from the `ref` input, or from the event
// that started the run (a tag push or deletion, a dispatch carrying a tag).

import type * as GitHub from '@actions/github'

export interface Trigger {
  /** The tag name, or undefined when the run is about no tag. */
  tag?: string
  /** True when the run was started by the tag's deletion. */
  deleted: boolean
  /** Where the tag came from, for the log. */
  source: string
  /** The ref or tag text as the trigger gave it. */
  ref: string
}

type Context = typeof GitHub.context

/**
 * The toolkit's context read from the environment now. Its `context` export
 * is read once at import; building a new one keeps a process that runs the
 * action more than once (as the tests do) from seeing a stale event. The
 * toolkit is loaded only here and for a dispatch: it is costly to start.
 */
export async function freshContext(): Promise<Context> {
  const github = await import('@actions/github')
  const Constructor = github.context.constructor as new () => Context
  return new Constructor()
}

interface Payload {
  ref?: unknown
  ref_type?: unknown
  deleted?: unknown
  inputs?: { tag?: unknown }
  client_payload?: { tag?: unknown }
}

/** The tag name a ref names: `refs/tags/T` or `T`; undefined for a branch. */
export function tagNameOf(ref: string): string | undefined {
  if (ref.startsWith('refs/tags/')) return ref.slice('refs/tags/'.length)
  if (ref.startsWith('refs/') || ref === '') return undefined
  return ref
}

/**
 * The trigger of this run. The `ref` input wins over the event; then the
 * event's own tag (delete, dispatches); then GITHUB_REF.
 */
export async function triggerOf(refInput: string): Promise<Trigger> {
  if (refInput) {
    return {
      tag: tagNameOf(refInput),
      deleted: false,
      source: "input 'ref'",
      ref: refInput
    }
  }
  const context = await freshContext()
  const payload = (context.payload ?? {}) as Payload
  const event = context.eventName ?? ''

  if (event === 'delete') {
    const isTag = payload.ref_type === 'tag' && typeof payload.ref === 'string'
    return {
      tag: isTag ? tagNameOf(payload.ref as string) : undefined,
      deleted: isTag,
      source: 'delete event',
      ref: typeof payload.ref === 'string' ? payload.ref : ''
    }
  }
  if (event === 'workflow_dispatch' && nonEmpty(payload.inputs?.tag)) {
    return {
      tag: tagNameOf(payload.inputs.tag.trim()),
      deleted: false,
      source: "workflow_dispatch input 'tag'",
      ref: payload.inputs.tag
    }
  }
  if (
    event === 'repository_dispatch' &&
    nonEmpty(payload.client_payload?.tag)
  ) {
    return {
      tag: tagNameOf(payload.client_payload.tag.trim()),
      deleted: false,
      source: 'repository_dispatch client_payload.tag',
      ref: payload.client_payload.tag
    }
  }
  const ref =
    context.ref ?? (typeof payload.ref === 'string' ? payload.ref : '')
  return {
    tag: tagNameOf(ref),
    deleted: event === 'push' && payload.deleted === true,
    source: 'GITHUB_REF',
    ref
  }
}

/** A dispatch's tag field counts only when it holds text. */
function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}
