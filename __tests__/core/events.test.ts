// Tag records as registry events (gto-tags.md §4, §6.1, §7): which tags are
// events, the order they are applied in, and times in the tag's own offset.

import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  PRIORITY,
  eventOf,
  isoTime,
  type TagRecord
} from '../../src/core/events.js'
import { buildRegistry } from '../../src/core/registry.js'

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/gto-names.json', import.meta.url), 'utf8')
) as { no_event: string[]; not_tags: string[] }

const COMMIT = '1111111111111111111111111111111111111111'
// 2026-05-26T23:49:52Z
const TIME = 1779839392

function record(tag: string, extra: Partial<TagRecord> = {}): TagRecord {
  return {
    tag,
    annotated: true,
    commit: COMMIT,
    tagger: {
      name: 'Ada',
      email: 'ada@example.com',
      time: TIME,
      offset: '+0300'
    },
    message: `${tag}\n`,
    ...extra
  }
}

function tagger(time: number): TagRecord['tagger'] {
  return { name: 'Ada', email: 'ada@example.com', time, offset: '+0000' }
}

describe('eventOf', () => {
  it('reads every field of an annotated registration', () => {
    const result = eventOf(
      record('cv=seg@v1.2.3', {
        message: 'Registering artifact cv:seg version v1.2.3\n'
      })
    )
    expect(result).toStrictEqual({
      event: 'registration',
      artifact: 'cv:seg',
      version: 'v1.2.3',
      stage: undefined,
      counter: undefined,
      tag: 'cv=seg@v1.2.3',
      commit: COMMIT,
      time: TIME,
      offset: '+0300',
      author: 'Ada',
      authorEmail: 'ada@example.com',
      message: 'Registering artifact cv:seg version v1.2.3',
      seq: 0
    })
  })

  it.each([
    ['rf@v1.0.0', 'registration', 'v1.0.0', undefined, undefined],
    ['rf@v1.0.0#3', 'registration', 'v1.0.0', undefined, 3],
    ['rf@v1.0.0!', 'deregistration', 'v1.0.0', undefined, undefined],
    ['rf@v1.0.0!#4', 'deregistration', 'v1.0.0', undefined, 4],
    ['rf#prod', 'assignment', undefined, 'prod', undefined],
    ['rf#prod#01', 'assignment', undefined, 'prod', 1],
    ['rf#prod!', 'unassignment', undefined, 'prod', undefined],
    ['rf#prod!#2', 'unassignment', undefined, 'prod', 2],
    ['rf@deprecated', 'deprecation', undefined, undefined, undefined],
    ['rf@deprecated#9', 'deprecation', undefined, undefined, 9]
  ])('%s is a %s', (tag, kind, version, stage, counter) => {
    const result = eventOf(record(tag))
    expect(result?.event).toBe(kind)
    expect(result?.artifact).toBe('rf')
    expect(result?.version).toBe(version)
    expect(result?.stage).toBe(stage)
    expect(result?.counter).toBe(counter)
  })

  it.each(vectors.no_event)('%s is no event (vectors)', tag => {
    expect(eventOf(record(tag))).toBeUndefined()
  })

  it.each(vectors.not_tags)('%j is no event (vectors)', tag => {
    expect(eventOf(record(tag))).toBeUndefined()
  })

  it('ignores a lightweight tag', () => {
    const light = record('rf@v1.0.0', { annotated: false, tagger: undefined })
    expect(eventOf(light)).toBeUndefined()
  })

  it('ignores a tag marked lightweight even when a tagger is given', () => {
    expect(eventOf(record('rf#prod#1', { annotated: false }))).toBeUndefined()
  })

  it('ignores an annotated tag without a tagger', () => {
    expect(eventOf(record('rf#prod#1', { tagger: undefined }))).toBeUndefined()
  })

  it.each([
    [
      'Assigning stage prod to artifact rf version v1.0.0\n',
      'Assigning stage prod to artifact rf version v1.0.0'
    ],
    ['  custom text \n\n', 'custom text'],
    ['line one\nline two\n', 'line one\nline two'],
    ['', '']
  ])('trims the message %j', (stored, read) => {
    const result = eventOf(record('rf#prod#1', { message: stored }))
    expect(result?.message).toBe(read)
  })
})

describe('order of application (seq, set by buildRegistry)', () => {
  // Lists every event's tag in the order the registry applied them.
  function applied(records: TagRecord[]): string[] {
    const registry = buildRegistry(records)
    return [...registry.artifacts.values()]
      .flatMap(a => a.events)
      .sort((a, b) => a.seq - b.seq)
      .map(e => e.tag)
  }

  function at(tag: string, time: number, commit = COMMIT): TagRecord {
    return record(tag, { commit, tagger: tagger(time) })
  }

  it('applies deprecations, then (de)registrations, then stages', () => {
    expect(
      applied([
        at('a#prod!#3', 10),
        at('b@v1.0.0', 20),
        at('c@deprecated', 30),
        at('d#dev#1', 5)
      ])
    ).toEqual(['c@deprecated', 'b@v1.0.0', 'd#dev#1', 'a#prod!#3'])
  })

  it('orders each group by tagger time, then by tag name', () => {
    expect(
      applied([
        at('rf@v1.0.0!', 10, '1'.repeat(40)),
        at('rf@v0.9.0', 20, '2'.repeat(40)),
        at('Rf@v2.0.0', 10, '3'.repeat(40)),
        at('rf@v1.0.0', 10, '1'.repeat(40)),
        at('rf#prod#2', 10),
        at('rf#dev#10', 10),
        at('rf#dev#3', 10),
        at('rf#dev#1', 9)
      ])
    ).toEqual([
      'Rf@v2.0.0',
      'rf@v1.0.0',
      'rf@v1.0.0!',
      'rf@v0.9.0',
      'rf#dev#1',
      'rf#dev#10',
      'rf#dev#3',
      'rf#prod#2'
    ])
  })

  it('leaves lightweight tags out', () => {
    expect(
      applied([
        at('rf@v1.0.0', 10),
        record('rf#prod#1', { annotated: false, tagger: undefined })
      ])
    ).toEqual(['rf@v1.0.0'])
  })

  it('uses the priorities history reports', () => {
    expect(PRIORITY).toEqual({
      deprecation: 2,
      registration: 3,
      deregistration: 4,
      assignment: 5,
      unassignment: 6
    })
  })
})

describe('isoTime', () => {
  it.each([
    ['+0300', '2026-05-27T02:49:52+03:00'],
    ['+0000', '2026-05-26T23:49:52+00:00'],
    ['-0500', '2026-05-26T18:49:52-05:00'],
    ['-0130', '2026-05-26T22:19:52-01:30'],
    ['+0545', '2026-05-27T05:34:52+05:45'],
    ['+1400', '2026-05-27T13:49:52+14:00'],
    ['-1200', '2026-05-26T11:49:52-12:00']
  ])('writes offset %s as %s', (offset, expected) => {
    expect(isoTime(TIME, offset)).toBe(expected)
  })

  it.each([
    [0, '+0000', '1970-01-01T00:00:00+00:00'],
    [0, '-0100', '1969-12-31T23:00:00-01:00'],
    [1704067199, '+0100', '2024-01-01T00:59:59+01:00'],
    [1704067200, '-0001', '2023-12-31T23:59:00-00:01']
  ])('writes %i at %s as %s', (time, offset, expected) => {
    expect(isoTime(time, offset)).toBe(expected)
  })
})
