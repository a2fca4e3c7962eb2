// The tag grammar and counter (gto-tags.md §2, §3): the shared parse vectors,
// format-then-parse round trips and the `#N` counter rules.

import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  formatTag,
  nextCounter,
  parseTag,
  type ParsedTag,
  type TagSpec
} from '../../src/core/tags.js'

interface TagVectors {
  parse: Record<string, ParsedTag>
  not_tags: string[]
  no_event: string[]
}

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/gto-names.json', import.meta.url), 'utf8')
) as TagVectors

describe('parseTag (vectors)', () => {
  it.each(Object.entries(vectors.parse))('parses %s', (tag, expected) => {
    expect(parseTag(tag)).toStrictEqual(expected)
  })

  it.each(vectors.not_tags)('rejects %j', tag => {
    expect(parseTag(tag)).toBeUndefined()
  })

  it.each(vectors.no_event)('reads %s as no action', tag => {
    const parsed = parseTag(tag)
    expect(parsed).toBeDefined()
    expect(parsed?.name).toBe('rf')
    expect(parsed?.action).toBeUndefined()
  })
})

describe('parseTag (gto-tags.md §2)', () => {
  it.each([
    ['rf@v1.2.3', { name: 'rf', action: 'register', version: 'v1.2.3' }],
    [
      'rf@v1.2.3#5',
      { name: 'rf', action: 'register', version: 'v1.2.3', counter: 5 }
    ],
    ['rf@v1.2.3!', { name: 'rf', action: 'deregister', version: 'v1.2.3' }],
    [
      'rf@v1.2.3!#2',
      { name: 'rf', action: 'deregister', version: 'v1.2.3', counter: 2 }
    ],
    ['rf#prod', { name: 'rf', action: 'assign', stage: 'prod' }],
    ['rf#prod#1', { name: 'rf', action: 'assign', stage: 'prod', counter: 1 }],
    [
      'rf#prod!#2',
      { name: 'rf', action: 'unassign', stage: 'prod', counter: 2 }
    ],
    ['rf#prod!', { name: 'rf', action: 'unassign', stage: 'prod' }],
    ['rf@deprecated#4', { name: 'rf', action: 'deprecate', counter: 4 }],
    [
      'cv=seg@v1.0.0',
      { name: 'cv:seg', action: 'register', version: 'v1.0.0' }
    ],
    [
      'x.y=m#dev#7',
      { name: 'x.y:m', action: 'assign', stage: 'dev', counter: 7 }
    ],
    [
      'rf@v3.4.5-pre.2+build.4',
      { name: 'rf', action: 'register', version: 'v3.4.5-pre.2+build.4' }
    ],
    ['rf#prod-5', { name: 'rf', action: 'assign', stage: 'prod-5' }],
    ['rf#prod#01', { name: 'rf', action: 'assign', stage: 'prod', counter: 1 }],
    ['rf#prod#0', { name: 'rf', action: 'assign', stage: 'prod', counter: 0 }],
    ['rf@created', { name: 'rf' }]
  ] as [string, ParsedTag][])('parses %s', (tag, expected) => {
    expect(parseTag(tag)).toStrictEqual(expected)
  })

  it.each([
    'model@v1',
    'model@0.0.1',
    'model#prod#-1',
    'model#prod@v1.2.3',
    'rf##prod',
    'rf#prod#1#2',
    'a=b=c@v1.0.0',
    'rf@latest',
    'x.y@v1.0.0',
    'rf@v1.0.0+',
    'rf@v1.2.3-rc.01',
    'rf#prod#',
    'rf#prod!!',
    'rf@deprecated!',
    'rf',
    'rf@v1.0.0@v1.0.0',
    ' rf@v1.0.0',
    'rf@v1.0.0 ',
    'rf@v1.0.0\n'
  ])('rejects %j', tag => {
    expect(parseTag(tag)).toBeUndefined()
  })

  it('rejects a tag too long to be one GTO writes', () => {
    expect(parseTag(`${'a'.repeat(2000)}@v1.0.0`)).toBeUndefined()
  })
})

describe('formatTag then parseTag', () => {
  const specs: [string, TagSpec][] = [
    ['rf@v1.2.3', { action: 'register', name: 'rf', version: 'v1.2.3' }],
    [
      'rf@v1.2.3#5',
      { action: 'register', name: 'rf', version: 'v1.2.3', counter: 5 }
    ],
    ['rf@v1.2.3!', { action: 'deregister', name: 'rf', version: 'v1.2.3' }],
    [
      'rf@v1.2.3!#2',
      { action: 'deregister', name: 'rf', version: 'v1.2.3', counter: 2 }
    ],
    ['rf#prod', { action: 'assign', name: 'rf', stage: 'prod' }],
    ['rf#prod#1', { action: 'assign', name: 'rf', stage: 'prod', counter: 1 }],
    ['rf#prod!', { action: 'unassign', name: 'rf', stage: 'prod' }],
    [
      'rf#prod!#2',
      { action: 'unassign', name: 'rf', stage: 'prod', counter: 2 }
    ],
    ['rf@deprecated', { action: 'deprecate', name: 'rf' }],
    ['rf@deprecated#4', { action: 'deprecate', name: 'rf', counter: 4 }],
    [
      'cv=pool-segmentation@v1.0.0',
      { action: 'register', name: 'cv:pool-segmentation', version: 'v1.0.0' }
    ],
    [
      'Some/folder/A=Model#Prod#12',
      {
        action: 'assign',
        name: 'Some/folder/A:Model',
        stage: 'Prod',
        counter: 12
      }
    ],
    [
      'r/f#st/age!#3',
      { action: 'unassign', name: 'r/f', stage: 'st/age', counter: 3 }
    ],
    ['x.y=m@deprecated#0', { action: 'deprecate', name: 'x.y:m', counter: 0 }],
    [
      'nn@v1.0.0-rc.2+build.5!',
      { action: 'deregister', name: 'nn', version: 'v1.0.0-rc.2+build.5' }
    ]
  ]

  it.each(specs)('writes %s and reads it back', (tag, spec) => {
    expect(formatTag(spec)).toBe(tag)
    expect(parseTag(tag)).toStrictEqual(spec)
  })
})

describe('nextCounter', () => {
  it('is 1 when the artifact has no tags', () => {
    expect(nextCounter([], 'rf')).toBe(1)
  })

  it('is 1 when the artifact has only simple tags', () => {
    expect(nextCounter(['rf@v0.0.1', 'rf#prod', 'rf@v0.0.1!'], 'rf')).toBe(1)
  })

  it('is one more than the highest counter of any action or stage', () => {
    const tags = ['rf#dev#1', 'rf@v0.0.2#7', 'rf#prod!#3', 'rf@deprecated#5']
    expect(nextCounter(tags, 'rf')).toBe(8)
  })

  it('takes the highest counter, not the latest or the count', () => {
    expect(nextCounter(['rf#dev#9', 'rf#dev#2', 'rf#prod#4'], 'rf')).toBe(10)
  })

  it('reads #01 as 1', () => {
    expect(nextCounter(['rf#dev#01'], 'rf')).toBe(2)
  })

  it('compares counters as numbers', () => {
    expect(nextCounter(['rf#dev#9', 'rf#dev#10'], 'rf')).toBe(11)
  })

  it('counts cv:m and m as different artifacts', () => {
    const tags = ['cv=m#dev#4', 'm#dev#1', 'cv=m@v0.0.1#6', 'other#dev#20']
    expect(nextCounter(tags, 'cv:m')).toBe(7)
    expect(nextCounter(tags, 'm')).toBe(2)
    expect(nextCounter(tags, 'other')).toBe(21)
    expect(nextCounter(tags, 'cv=m')).toBe(1)
  })

  it('ignores tags that are not GTO tags', () => {
    expect(nextCounter(['v1.0.0', 'rf#prod#1#2', 'release-9'], 'rf')).toBe(1)
  })

  it('counts every tag of the artifact, lightweight ones included', () => {
    // The counter sees tag names only: whether a tag is annotated plays no
    // part, so the caller passes lightweight tags too.
    expect(nextCounter(new Set(['rf@v0.0.1', 'rf#dev#3']), 'rf')).toBe(4)
  })

  it('counts @created tags, which GTO parses with their counter', () => {
    expect(nextCounter(['rf@created#6', 'rf#dev#1'], 'rf')).toBe(7)
  })

  it('reproduces the §3 example: rf@v0.0.1, rf#dev#1, rf#prod#2, rf#dev!#3', () => {
    const tags: string[] = []
    const write = (spec: TagSpec, simple: boolean) => {
      const counter = simple ? undefined : nextCounter(tags, spec.name)
      const tag = formatTag({ ...spec, counter })
      tags.push(tag)
      return tag
    }

    expect(
      write({ action: 'register', name: 'rf', version: 'v0.0.1' }, true)
    ).toBe('rf@v0.0.1')
    expect(write({ action: 'assign', name: 'rf', stage: 'dev' }, false)).toBe(
      'rf#dev#1'
    )
    expect(write({ action: 'assign', name: 'rf', stage: 'prod' }, false)).toBe(
      'rf#prod#2'
    )
    expect(write({ action: 'unassign', name: 'rf', stage: 'dev' }, false)).toBe(
      'rf#dev!#3'
    )
  })
})
