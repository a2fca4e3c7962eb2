// Registry events: what each annotated GTO tag says happened, and when.

import { parseTag, type Action } from './tags.js'

/** One tag as git holds it; produced by the git layer, read by the core. */
export interface TagRecord {
  tag: string
  /** False for a lightweight tag, which GTO ignores as an event. */
  annotated: boolean
  /** The commit the tag points to, peeled. */
  commit: string
  tagger?: Tagger
  /** The annotation as stored, possibly ending with a newline. */
  message: string
}

export interface Tagger {
  name: string
  email: string
  /** Seconds since the epoch. */
  time: number
  /** UTC offset as git writes it, `+0300`. */
  offset: string
}

export type EventKind =
  | 'deprecation'
  | 'registration'
  | 'deregistration'
  | 'assignment'
  | 'unassignment'

/** The event each action's tag records. */
export const KIND_OF: Record<Action, EventKind> = {
  deprecate: 'deprecation',
  register: 'registration',
  deregister: 'deregistration',
  assign: 'assignment',
  unassign: 'unassignment'
}

/** GTO's priorities; on equal times a higher one is applied later. */
export const PRIORITY: Record<EventKind, number> = {
  deprecation: 2,
  registration: 3,
  deregistration: 4,
  assignment: 5,
  unassignment: 6
}

export interface RegistryEvent {
  event: EventKind
  artifact: string
  /** From the tag for (de)registrations; resolved from the commit for stages. */
  version?: string
  stage?: string
  counter?: number
  tag: string
  commit: string
  time: number
  offset: string
  author: string
  authorEmail: string
  /** The annotation without surrounding white space, as GTO reads it. */
  message: string
  /** Position in the order GTO applies events (set by the registry). */
  seq: number
}

/** The event an annotated GTO tag records; undefined for any other tag. */
export function eventOf(record: TagRecord): RegistryEvent | undefined {
  if (!record.annotated || !record.tagger) return undefined
  const parsed = parseTag(record.tag)
  if (!parsed?.action) return undefined

  return {
    event: KIND_OF[parsed.action],
    artifact: parsed.name,
    version: parsed.version,
    stage: parsed.stage,
    counter: parsed.counter,
    tag: record.tag,
    commit: record.commit,
    time: record.tagger.time,
    offset: record.tagger.offset,
    author: record.tagger.name,
    authorEmail: record.tagger.email,
    message: record.message.trim(),
    seq: 0
  }
}

/** ISO 8601 in the tag's own offset: `2026-05-27T02:49:52+03:00`. */
export function isoTime(time: number, offset: string): string {
  const match = /^([+-])(\d\d)(\d\d)$/.exec(offset)
  const sign = match?.[1] === '-' ? -1 : 1
  const minutes = match ? sign * (Number(match[2]) * 60 + Number(match[3])) : 0
  const local = new Date((time + minutes * 60) * 1000).toISOString()
  // A zero offset prints as `+00:00` even when git wrote `-0000`, as GTO's
  // datetimes do.
  const suffix =
    match && minutes !== 0 ? `${match[1]}${match[2]}:${match[3]}` : '+00:00'
  return `${local.slice(0, 19)}${suffix}`
}
