// Synthetic tag records for the core's unit tests: each tag written as a row
// of name, commit, tagger time and message, as the git layer reports it.

import type { TagRecord } from '../../src/core/events.js'
import { buildRegistry, type Registry } from '../../src/core/registry.js'

/** The instant rows count their seconds from: 2023-11-14T22:13:20Z. */
export const T0 = 1_700_000_000

export const AUTHOR = 'Ada Lovelace'
export const EMAIL = 'ada@example.com'

/** A commit SHA made of one repeated hex digit. */
export function sha(digit: string): string {
  return digit.repeat(40)
}

export const C1 = sha('1')
export const C2 = sha('2')
export const C3 = sha('3')
export const C4 = sha('4')
export const C5 = sha('5')
export const HEAD = sha('f')

/** An annotated tag: name, commit, seconds after T0, and its message. */
export type Row = readonly [
  tag: string,
  commit: string,
  second: number,
  message?: string
]

/** The message a row gets when it names none. */
export function messageOf(tag: string): string {
  return `Tag ${tag}`
}

export function annotated(row: Row, offset = '+0000'): TagRecord {
  const [tag, commit, second, message] = row
  return {
    tag,
    annotated: true,
    commit,
    tagger: { name: AUTHOR, email: EMAIL, time: T0 + second, offset },
    message: `${message ?? messageOf(tag)}\n`
  }
}

export function lightweight(tag: string, commit: string): TagRecord {
  return { tag, annotated: false, commit, message: '' }
}

export function records(rows: readonly Row[]): TagRecord[] {
  return rows.map(row => annotated(row))
}

/** The registry of annotated rows plus any records given as they are. */
export function registryOf(
  rows: readonly Row[],
  extra: readonly TagRecord[] = []
): Registry {
  return buildRegistry([...records(rows), ...extra])
}

/** Every tag name, lightweight ones included, as the counter sees them. */
export function tagNamesOf(
  rows: readonly Row[],
  extra: readonly TagRecord[] = []
): Set<string> {
  return new Set([...rows.map(row => row[0]), ...extra.map(r => r.tag)])
}
