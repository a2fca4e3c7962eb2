// GTO's writing rules for unassign, deregister and deprecate (gto-tags.md §5):
// which tag each plans, where it goes, and what `delete` removes.

import { describe, expect, it } from '@jest/globals'
import type { TagRecord } from '../../src/core/events.js'
import {
  PlanError,
  planDeprecate,
  planDeregister,
  planUnassign,
  type Change,
  type DeprecateRequest,
  type DeregisterRequest,
  type PlannedTag,
  type UnassignRequest
} from '../../src/core/plan.js'
import { RegistryError } from '../../src/core/registry.js'
import {
  C1,
  C2,
  C3,
  C4,
  HEAD,
  lightweight,
  registryOf,
  tagNamesOf,
  type Row
} from '../helpers/tag-records.js'

type Plan<R> = (rows: readonly Row[], req: R, extra?: TagRecord[]) => Change

const unassign: Plan<UnassignRequest> = (rows, req, extra = []) =>
  planUnassign(registryOf(rows, extra), tagNamesOf(rows, extra), req)

const deregister: Plan<DeregisterRequest> = (rows, req, extra = []) =>
  planDeregister(registryOf(rows, extra), tagNamesOf(rows, extra), req)

const deprecate: Plan<DeprecateRequest> = (rows, req, extra = []) =>
  planDeprecate(registryOf(rows, extra), tagNamesOf(rows, extra), req)

/** The one tag a change creates. */
function createdTag(change: Change): PlannedTag {
  if (change.kind !== 'create') throw new Error('expected tags to create')
  expect(change.tags).toHaveLength(1)
  return change.tags[0]
}

/** The tags a change deletes, in the order it lists them. */
function deletedTags(change: Change): string[] {
  if (change.kind !== 'delete') throw new Error('expected tags to delete')
  return change.events.map(e => e.tag)
}

describe('planUnassign', () => {
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf@v1.1.0', C2, 2],
    ['rf#dev#1', C1, 3],
    ['rf#prod#2', C2, 4],
    ['rf#dev#3', C2, 5],
    ['rf#dev!#4', C1, 6],
    ['nn#dev#9', C3, 7]
  ]
  // Lightweight tags are no events, but their counters count.
  const extra = [lightweight('rf#qa#6', C2)]

  it("puts GTO's counter tag on the version's commit", () => {
    const change = unassign(
      rows,
      { name: 'rf', version: 'v1.1.0', stage: 'dev' },
      extra
    )
    expect(createdTag(change)).toEqual({
      action: 'unassign',
      tag: 'rf#dev!#7',
      name: 'rf',
      version: 'v1.1.0',
      stage: 'dev',
      counter: 7,
      commit: C2,
      message: "Unassigning stage 'dev' to artifact 'rf' version 'v1.1.0'"
    })
  })

  it.each<[string, UnassignRequest, string, string]>([
    [
      'the version at a commit',
      { name: 'rf', commit: C2, stage: 'prod' },
      'rf#prod!#7',
      C2
    ],
    [
      'the simple form',
      { name: 'rf', version: 'v1.1.0', stage: 'prod', simple: true },
      'rf#prod!',
      C2
    ],
    [
      'a stage the version held once, without force',
      { name: 'rf', version: 'v1.0.0', stage: 'dev' },
      'rf#dev!#7',
      C1
    ],
    [
      'a stage the version never held, with force',
      { name: 'rf', version: 'v1.0.0', stage: 'prod', force: true },
      'rf#prod!#7',
      C1
    ]
  ])('tags %s', (_, req, tag, commit) => {
    const planned = createdTag(unassign(rows, req, extra))
    expect([planned.tag, planned.commit]).toEqual([tag, commit])
  })

  it('refuses a stage the version never held, without force', () => {
    const req = { name: 'rf', version: 'v1.0.0', stage: 'prod' }
    expect(() => unassign(rows, req)).toThrow(PlanError)
    expect(() => unassign(rows, req)).toThrow(
      /Stage 'prod' was never assigned to version v1\.0\.0 of 'rf'/
    )
  })

  it.each<[string, UnassignRequest]>([
    ['an unknown artifact', { name: 'cv:rf', version: 'v1.0.0', stage: 'dev' }],
    ['an unknown version', { name: 'rf', version: 'v3.0.0', stage: 'dev' }],
    [
      'an unknown version, even with force',
      { name: 'rf', version: 'v3.0.0', stage: 'dev', force: true }
    ]
  ])('refuses %s', (_, req) => {
    expect(() => unassign(rows, req)).toThrow(PlanError)
  })

  // GTO looks the version up among registered ones only, so a stage on an
  // unregistered commit cannot be unassigned, by SHA or by commit.
  it.each<[string, UnassignRequest]>([
    ['by its SHA', { name: 'rf', version: C4, stage: 'qa' }],
    ['by commit', { name: 'rf', commit: C4, stage: 'qa' }],
    [
      'by commit, with force',
      { name: 'rf', commit: C4, stage: 'qa', force: true }
    ],
    [
      'by commit, to delete',
      { name: 'rf', commit: C4, stage: 'qa', delete: true }
    ]
  ])('refuses an unregistered commit %s', (_, req) => {
    const onCommit: Row[] = [...rows, ['rf#qa#5', C4, 8]]
    expect(() => unassign(onCommit, req)).toThrow(PlanError)
  })

  it('replaces the message with a given one', () => {
    const req = {
      name: 'rf',
      version: 'v1.1.0',
      stage: 'dev',
      message: 'Rolled back'
    }
    expect(createdTag(unassign(rows, req)).message).toBe('Rolled back')
  })

  it('writes dir:name as dir=name in the tag only', () => {
    const planned = createdTag(
      unassign(
        [
          ['cv=seg@v1.0.0', C1, 1],
          ['cv=seg#prod#1', C1, 2]
        ],
        {
          name: 'cv:seg',
          version: 'v1.0.0',
          stage: 'prod'
        }
      )
    )
    expect([planned.tag, planned.message]).toEqual([
      'cv=seg#prod!#2',
      "Unassigning stage 'prod' to artifact 'cv:seg' version 'v1.0.0'"
    ])
  })

  it.each<[string, UnassignRequest, string[]]>([
    [
      "one version's assignment",
      { name: 'rf', version: 'v1.1.0', stage: 'dev', delete: true },
      ['rf#dev#3']
    ],
    [
      "one version's assignment and unassignment",
      { name: 'rf', version: 'v1.0.0', stage: 'dev', delete: true },
      ['rf#dev#1', 'rf#dev!#4']
    ],
    [
      'the stage tags at a commit',
      { name: 'rf', commit: C2, stage: 'prod', delete: true },
      ['rf#prod#2']
    ]
  ])('deletes %s and nothing else', (_, req, tags) => {
    expect(deletedTags(unassign(rows, req, extra))).toEqual(tags)
  })

  it('refuses to delete a stage the version never held', () => {
    const req = { name: 'rf', version: 'v1.0.0', stage: 'prod', delete: true }
    expect(() => unassign(rows, req)).toThrow(PlanError)
  })

  it('fails on an artifact with two versions on one commit', () => {
    const broken: Row[] = [
      ['rf@v1.0.0', C1, 1],
      ['rf@v2.0.0', C1, 2],
      ['rf#dev#1', C1, 3]
    ]
    const req = { name: 'rf', version: 'v1.0.0', stage: 'dev' }
    expect(() => unassign(broken, req)).toThrow(RegistryError)
  })
})

describe('planDeregister', () => {
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf@v1.1.0', C2, 2],
    ['rf#prod#1', C1, 3],
    ['rf#dev#2', C1, 4],
    ['rf#dev!#3', C1, 5],
    ['rf@v1.1.0!', C2, 6],
    ['rf#staging#4', C3, 7],
    ['rf@v2.0.0!', C4, 8]
  ]

  it("puts GTO's simple tag on the version's commit", () => {
    const change = deregister(rows, { name: 'rf', version: 'v1.0.0' })
    expect(createdTag(change)).toEqual({
      action: 'deregister',
      tag: 'rf@v1.0.0!',
      name: 'rf',
      version: 'v1.0.0',
      commit: C1,
      message: 'Deregistering artifact rf version v1.0.0'
    })
  })

  it.each<[string, DeregisterRequest, string, string]>([
    ['the version at a commit', { name: 'rf', commit: C1 }, 'rf@v1.0.0!', C1],
    [
      'the counter form',
      { name: 'rf', version: 'v1.0.0', simple: false },
      'rf@v1.0.0!#5',
      C1
    ],
    [
      'a deregistered version again, with force',
      { name: 'rf', version: 'v1.1.0', force: true, simple: false },
      'rf@v1.1.0!#5',
      C2
    ]
  ])('tags %s', (_, req, tag, commit) => {
    const planned = createdTag(deregister(rows, req))
    expect([planned.tag, planned.commit]).toEqual([tag, commit])
  })

  it.each<[string, DeregisterRequest, RegExp]>([
    [
      'a deregistered version',
      { name: 'rf', version: 'v1.1.0' },
      /v1\.1\.0 of 'rf' is already deregistered/
    ],
    [
      'an unknown version',
      { name: 'rf', version: 'v9.9.9' },
      /v9\.9\.9 of 'rf' is not registered/
    ],
    [
      'a version that was only ever deregistered',
      { name: 'rf', version: 'v2.0.0' },
      /v2\.0\.0 of 'rf' is not registered/
    ],
    ['an unregistered commit', { name: 'rf', commit: C3 }, /is not registered/],
    [
      'an existing simple tag, even with force',
      { name: 'rf', version: 'v1.1.0', force: true },
      /Tag rf@v1\.1\.0! already exists/
    ],
    [
      'with force a version that has no tags',
      { name: 'rf', version: 'v9.9.9', force: true },
      /has no tags/
    ]
  ])('refuses %s', (_, req, message) => {
    expect(() => deregister(rows, req)).toThrow(PlanError)
    expect(() => deregister(rows, req)).toThrow(message)
  })

  it.each<[string, DeregisterRequest, string[]]>([
    [
      'every tag of an active version, stages included',
      { name: 'rf', version: 'v1.0.0', delete: true },
      ['rf@v1.0.0', 'rf#prod#1', 'rf#dev#2', 'rf#dev!#3']
    ],
    [
      'every tag of a deregistered version, with force',
      { name: 'rf', version: 'v1.1.0', delete: true, force: true },
      ['rf@v1.1.0', 'rf@v1.1.0!']
    ]
  ])('deletes %s', (_, req, tags) => {
    expect(deletedTags(deregister(rows, req))).toEqual(tags)
  })

  it('refuses to delete a deregistered version without force', () => {
    const req = { name: 'rf', version: 'v1.1.0', delete: true }
    expect(() => deregister(rows, req)).toThrow(PlanError)
  })
})

describe('planDeprecate', () => {
  // The newest event is an assignment on C1, not v2.0.0's registration on C2.
  const rows: Row[] = [
    ['rf@v1.0.0', C1, 1],
    ['rf@v2.0.0', C2, 2],
    ['rf#prod#1', C1, 3],
    ['nn@v1.0.0', C3, 4]
  ]
  const deprecated: Row[] = [...rows, ['rf@deprecated', C4, 5]]

  it("puts GTO's simple tag on the commit of the newest event", () => {
    const change = deprecate(rows, { name: 'rf', head: HEAD })
    expect(createdTag(change)).toEqual({
      action: 'deprecate',
      tag: 'rf@deprecated',
      name: 'rf',
      commit: C1,
      message: "Deprecating artifact 'rf'"
    })
  })

  it.each<[string, readonly Row[], DeprecateRequest, string, string]>([
    [
      'the given commit',
      rows,
      { name: 'rf', commit: C3, head: HEAD },
      'rf@deprecated',
      C3
    ],
    [
      'the counter form',
      rows,
      { name: 'rf', simple: false, head: HEAD },
      'rf@deprecated#2',
      C1
    ],
    [
      'the counter form with force',
      rows,
      { name: 'rf', force: true, head: HEAD },
      'rf@deprecated#2',
      C1
    ],
    [
      'a deprecated artifact again with force, at the deprecation',
      deprecated,
      { name: 'rf', force: true, head: HEAD },
      'rf@deprecated#2',
      C4
    ],
    [
      'an unknown artifact with force, at head',
      rows,
      { name: 'cv:seg', force: true, head: HEAD },
      'cv=seg@deprecated#1',
      HEAD
    ],
    [
      // GTO's stable sort, reversed: the later-listed version's event.
      'the later version when two were registered in one second',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@v2.0.0', C2, 1]
      ],
      { name: 'rf', head: HEAD },
      'rf@deprecated',
      C2
    ],
    [
      'a registration tied with an assignment of an earlier version',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf#prod#1', C1, 5],
        ['rf@v2.0.0', C2, 5]
      ],
      { name: 'rf', head: HEAD },
      'rf@deprecated',
      C2
    ],
    [
      'an artifact whose deprecation lost a tie, with the counter form',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@deprecated', C1, 1]
      ],
      { name: 'rf', simple: false, head: HEAD },
      'rf@deprecated#1',
      C1
    ]
  ])('tags %s', (_, tagRows, req, tag, commit) => {
    const planned = createdTag(deprecate(tagRows, req))
    expect([planned.tag, planned.commit]).toEqual([tag, commit])
  })

  it('writes dir:name in the message', () => {
    const planned = createdTag(
      deprecate([['cv=seg@v1.0.0', C1, 1]], { name: 'cv:seg', head: HEAD })
    )
    expect([planned.tag, planned.message]).toEqual([
      'cv=seg@deprecated',
      "Deprecating artifact 'cv:seg'"
    ])
  })

  it.each<[string, readonly Row[], DeprecateRequest, RegExp]>([
    [
      'an unknown artifact',
      rows,
      { name: 'cv:seg', head: HEAD },
      /'cv:seg' has no tags/
    ],
    [
      'a deprecated artifact',
      deprecated,
      { name: 'rf', head: HEAD },
      /'rf' is already deprecated/
    ],
    [
      'force with simple: true',
      rows,
      { name: 'rf', force: true, simple: true, head: HEAD },
      /'force: true'.*'simple: true'/
    ],
    [
      'force with simple: true, also to delete',
      rows,
      { name: 'rf', force: true, simple: true, delete: true, head: HEAD },
      /'force: true'.*'simple: true'/
    ],
    [
      'a simple tag that exists already',
      [
        ['rf@v1.0.0', C1, 1],
        ['rf@deprecated', C1, 1]
      ],
      { name: 'rf', head: HEAD },
      /Tag rf@deprecated already exists/
    ]
  ])('refuses %s', (_, tagRows, req, message) => {
    expect(() => deprecate(tagRows, req)).toThrow(PlanError)
    expect(() => deprecate(tagRows, req)).toThrow(message)
  })

  it.each<[string, readonly Row[], DeprecateRequest, string[]]>([
    [
      'every tag of an active artifact',
      rows,
      { name: 'rf', delete: true, head: HEAD },
      ['rf@v1.0.0', 'rf@v2.0.0', 'rf#prod#1']
    ],
    [
      'every tag of a deprecated artifact with force, the deprecation too',
      deprecated,
      { name: 'rf', delete: true, force: true, head: HEAD },
      ['rf@v1.0.0', 'rf@v2.0.0', 'rf#prod#1', 'rf@deprecated']
    ]
  ])('deletes %s', (_, tagRows, req, tags) => {
    expect(deletedTags(deprecate(tagRows, req))).toEqual(tags)
  })
})
