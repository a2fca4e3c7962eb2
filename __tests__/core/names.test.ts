// GTO's naming rules (gto-tags.md §1): the shared vectors for short names,
// full names and versions, plus name conversion, ordering and bumping.

import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  FIRST_VERSION,
  bumpVersion,
  compareVersions,
  isValidFullName,
  isValidShortName,
  isValidStage,
  isValidVersion,
  nameToTag,
  splitFullName,
  tagToName,
  type Bump
} from '../../src/core/names.js'

interface NameVectors {
  short_names: { valid: string[]; invalid: string[] }
  full_names: { valid: string[]; invalid: string[] }
  versions: {
    valid: string[]
    invalid: string[]
    ascending: string[]
    bump: Record<string, Record<Bump, string>>
  }
}

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/gto-names.json', import.meta.url), 'utf8')
) as NameVectors

const shortValid = vectors.short_names.valid
const shortInvalid = vectors.short_names.invalid

describe('short names (vectors)', () => {
  it.each(shortValid)('accepts %j', name => {
    expect(isValidShortName(name)).toBe(true)
  })

  it.each(shortInvalid)('rejects %j', name => {
    expect(isValidShortName(name)).toBe(false)
  })
})

describe('stage names follow the short name rule (vectors)', () => {
  it.each(shortValid)('accepts %j', name => {
    expect(isValidStage(name)).toBe(true)
  })

  it.each(shortInvalid)('rejects %j', name => {
    expect(isValidStage(name)).toBe(false)
  })
})

describe('full names (vectors)', () => {
  it.each(vectors.full_names.valid)('accepts %j', name => {
    expect(isValidFullName(name)).toBe(true)
  })

  it.each(vectors.full_names.invalid)('rejects %j', name => {
    expect(isValidFullName(name)).toBe(false)
  })

  // A full name without `dir:` is a short name, so the short rules hold too.
  it.each(shortValid)('accepts the short name %j', name => {
    expect(isValidFullName(name)).toBe(true)
  })

  it.each(shortInvalid)('rejects the short name %j', name => {
    expect(isValidFullName(name)).toBe(false)
  })
})

describe('full names (gto-tags.md §1)', () => {
  it.each([
    'cv:pool-segmentation',
    'x.y:m',
    'a-b_c.d/e:model',
    'Some/folder/A:Model'
  ])('accepts %j', name => {
    expect(isValidFullName(name)).toBe(true)
  })

  it.each(['cv:m/', 'cv:_m', 'c v:m', 'cv@1:m', 'cv:a.b', 'cv:', 'x.y'])(
    'rejects %j',
    name => {
      expect(isValidFullName(name)).toBe(false)
    }
  )
})

describe('versions (vectors)', () => {
  it.each(vectors.versions.valid)('accepts %j', version => {
    expect(isValidVersion(version)).toBe(true)
  })

  it.each(vectors.versions.invalid)('rejects %j', version => {
    expect(isValidVersion(version)).toBe(false)
  })
})

describe('versions (gto-tags.md §1)', () => {
  it.each(['v0.1.2', 'v3.4.5-pre.2+build.4', 'v0.0.0', 'v10.20.30'])(
    'accepts %j',
    version => {
      expect(isValidVersion(version)).toBe(true)
    }
  )

  it.each([
    '1.2.3',
    'V1.2.3',
    'v1',
    'v1.2',
    'v01.2.3',
    'v1.02.3',
    'v1.2.03',
    'v1.2.3-rc.01',
    'v1.2.3-',
    'v1.0.0+',
    'v1.0.0+build..1',
    ''
  ])('rejects %j', version => {
    expect(isValidVersion(version)).toBe(false)
  })
})

describe('version order', () => {
  const ascending = vectors.versions.ascending
  const pairs = ascending.slice(1).map((v, i) => [ascending[i], v])

  it.each(pairs)('%s comes before %s', (lower, higher) => {
    expect(compareVersions(lower, higher)).toBeLessThan(0)
    expect(compareVersions(higher, lower)).toBeGreaterThan(0)
  })

  it('sorts the vector list back into its order', () => {
    const shuffled = [...ascending].reverse()
    expect(shuffled.sort(compareVersions)).toEqual(ascending)
  })

  it.each([
    ['v1.0.0+build.1', 'v1.0.0+build.2'],
    ['v1.0.0', 'v1.0.0+anything'],
    ['v2.3.4', 'v2.3.4']
  ])('ignores build metadata: %s equals %s', (a, b) => {
    expect(compareVersions(a, b)).toBe(0)
  })

  it('compares numerically, not as text', () => {
    expect(compareVersions('v0.10.0', 'v0.9.0')).toBeGreaterThan(0)
  })
})

describe('bumpVersion', () => {
  const cases = Object.entries(vectors.versions.bump).flatMap(
    ([from, results]) =>
      (Object.entries(results) as [Bump, string][]).map(
        ([bump, to]) => [from, bump, to] as const
      )
  )

  it.each(cases)('%s with %s gives %s (vectors)', (from, bump, to) => {
    expect(bumpVersion(from, bump)).toBe(to)
  })

  it.each([
    ['v1.2.3-rc.1', 'patch', 'v1.2.4'],
    ['v1.2.3-rc.1', 'minor', 'v1.3.0'],
    ['v1.2.3-rc.1', 'major', 'v2.0.0'],
    ['v1.2.3+build.7', 'patch', 'v1.2.4'],
    ['v1.2.3-rc.1+build.7', 'patch', 'v1.2.4'],
    ['v0.0.1', 'patch', 'v0.0.2'],
    ['v0.0.9', 'patch', 'v0.0.10'],
    ['v0.9.9', 'minor', 'v0.10.0'],
    ['v9.9.9', 'major', 'v10.0.0']
  ] as const)('%s with %s gives %s', (from, bump, to) => {
    expect(bumpVersion(from, bump)).toBe(to)
  })

  it('refuses something that is not a version', () => {
    expect(() => bumpVersion('latest', 'patch')).toThrow(/latest/)
  })

  it('starts every artifact at v0.0.1', () => {
    expect(FIRST_VERSION).toBe('v0.0.1')
  })
})

describe('names in tags', () => {
  it.each([
    ['cv:pool-segmentation', 'cv=pool-segmentation'],
    ['Some/folder/A:Model', 'Some/folder/A=Model'],
    ['dvclive/model', 'dvclive/model'],
    ['model', 'model']
  ])('%s is written %s and read back', (name, inTag) => {
    expect(nameToTag(name)).toBe(inTag)
    expect(tagToName(inTag)).toBe(name)
  })
})

describe('splitFullName', () => {
  it.each([
    ['model', '', 'model'],
    ['cv:pool-segmentation', 'cv', 'pool-segmentation'],
    ['some/folder:some/model', 'some/folder', 'some/model']
  ])('%s is dir %j and short name %j', (name, dir, short) => {
    expect(splitFullName(name)).toEqual({ dir, short })
  })
})
