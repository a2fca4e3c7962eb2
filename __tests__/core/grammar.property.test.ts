// Property-based tests of the tag grammar (gto-tags.md §1-§3) with
// fast-check: format/parse round trips, parsing that never throws, counters.

import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  compareVersions,
  isValidFullName,
  isValidShortName,
  isValidVersion
} from '../../src/core/names.js'
import {
  formatTag,
  nextCounter,
  parseTag,
  type Action,
  type TagSpec
} from '../../src/core/tags.js'

// ---- arbitraries --------------------------------------------------------

const chars = (set: string) => fc.constantFrom(...set)
const DIGITS = '0123456789'
const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const ALNUM = `${LOWER}${LOWER.toUpperCase()}${DIGITS}`

/** First and last an ASCII letter or digit; inside also `-`, `/`, `_`. */
const shortName = fc
  .tuple(
    chars(ALNUM),
    fc.string({ unit: chars(`${ALNUM}-/_`), maxLength: 12 }),
    chars(ALNUM),
    fc.boolean()
  )
  .map(([first, inside, last, single]) =>
    single ? first : `${first}${inside}${last}`
  )
const stage = shortName

/** The `dir` of `dir:name`: letters, digits, `.`, `_`, `/`, `-`. */
const dirname = fc.string({
  unit: chars(`${ALNUM}._/-`),
  minLength: 1,
  maxLength: 16
})

const fullName = fc
  .tuple(fc.option(dirname, { nil: undefined }), shortName)
  .map(([dir, name]) => (dir === undefined ? name : `${dir}:${name}`))

/** A SemVer numeric identifier: no leading zero, optionally huge. */
function numericId(huge = false) {
  const small = fc.nat({ max: 1_000_000 }).map(String)
  if (!huge) return fc.oneof(fc.constant('0'), small)
  return fc.oneof(
    fc.constant('0'),
    small,
    fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String)
  )
}

/** Letters, digits and `-`, with at least one non-digit. */
const alphanumericId = fc
  .tuple(
    fc.string({ unit: chars(`${DIGITS}`), maxLength: 3 }),
    chars(`${LOWER}ABCXYZ-`),
    fc.string({ unit: chars(`${ALNUM}-`), maxLength: 5 })
  )
  .map(([a, b, c]) => `${a}${b}${c}`)
const buildId = fc.string({ unit: chars(`${ALNUM}-`), minLength: 1 })

function version(options: { huge?: boolean; maxIds?: number } = {}) {
  const maxLength = options.maxIds ?? 3
  const num = numericId(options.huge)
  const pre = fc.array(fc.oneof(num, alphanumericId), {
    minLength: 1,
    maxLength
  })
  const build = fc.array(buildId, { minLength: 1, maxLength })
  return fc
    .tuple(
      num,
      num,
      num,
      fc.option(pre, { nil: undefined }),
      fc.option(build, { nil: undefined })
    )
    .map(
      ([major, minor, patch, p, b]) =>
        `v${major}.${minor}.${patch}` +
        (p ? `-${p.join('.')}` : '') +
        (b ? `+${b.join('.')}` : '')
    )
}

const counter = fc.integer({ min: 0, max: 1_000_000 })

const ACTIONS: Action[] = [
  'register',
  'deregister',
  'assign',
  'unassign',
  'deprecate'
]

/** What a tag of `action` records: only the fields its grammar carries. */
function specOf(
  action: Action,
  name: string,
  ver: string,
  stg: string,
  n: number | undefined
): TagSpec {
  const spec: TagSpec = { name, action }
  if (action === 'register' || action === 'deregister') spec.version = ver
  if (action === 'assign' || action === 'unassign') spec.stage = stg
  if (n !== undefined) spec.counter = n
  return spec
}

const tagSpec = fc
  .tuple(
    fc.constantFrom(...ACTIONS),
    fullName,
    version(),
    stage,
    fc.option(counter, { nil: undefined })
  )
  .map(args => specOf(...args))

/** The characters the grammar is made of (`a-z` includes `v`). */
const GRAMMAR = `@#!=:/.-_${DIGITS}${LOWER}`
const grammarString = (maxLength = 30) =>
  fc.string({ unit: chars(GRAMMAR), maxLength })

/** A counter as written, leading zeros allowed, within safe integers. */
const counterText = fc.oneof(
  counter.map(String),
  fc.string({ unit: chars(DIGITS), minLength: 1, maxLength: 15 })
)

/**
 * Strings shaped like tags, each part either valid or noise from the
 * grammar's characters, so that many parse and many almost do.
 */
const tagLike = fc
  .tuple(
    fc.option(fc.oneof(dirname, grammarString(6)), { nil: undefined }),
    fc.oneof({ arbitrary: shortName, weight: 4 }, grammarString(6)),
    fc.oneof(
      { arbitrary: stage.map(s => `#${s}`), weight: 3 },
      { arbitrary: version().map(v => `@${v}`), weight: 3 },
      chars('@#').map(c => `${c}deprecated`),
      chars('@#').map(c => `${c}created`),
      grammarString(8)
    ),
    fc.constantFrom('', '', '!', '!!'),
    fc.option(
      fc.oneof(
        { arbitrary: counterText.map(c => `#${c}`), weight: 4 },
        grammarString(4)
      ),
      { nil: undefined }
    )
  )
  .map(
    ([dir, name, body, cancel, tail]) =>
      `${dir === undefined ? '' : `${dir}=`}${name}${body}${cancel}${tail ?? ''}`
  )

/** The tag as GTO would write it again: `#007` is counter 7. */
function canonical(tag: string): string {
  return tag.replace(/#0*([0-9]+)$/, '#$1')
}

// ---- properties ---------------------------------------------------------

describe('the arbitraries produce what the grammar calls valid', () => {
  it('names, full names and versions pass the name rules', () => {
    fc.assert(
      fc.property(shortName, fullName, version(), (s, f, v) => {
        expect(isValidShortName(s)).toBe(true)
        expect(isValidFullName(f)).toBe(true)
        expect(isValidVersion(v)).toBe(true)
      }),
      { numRuns: 500 }
    )
  })

  it('a numeric identifier with a leading zero makes no version', () => {
    const bad = fc
      .tuple(version(), fc.nat({ max: 3 }), fc.nat({ max: 999 }))
      .map(([v, at, n]) => {
        // `0<n>` in place of a numeric identifier of the core, or as the
        // first prerelease identifier.
        const end = v.search(/[-+]|$/)
        const parts = v.slice(1, end).split('.')
        if (at === 3) return `v${parts.join('.')}-0${n}`
        parts[at] = `0${n}`
        return `v${parts.join('.')}${v.slice(end)}`
      })
    fc.assert(
      fc.property(bad, v => {
        expect(isValidVersion(v)).toBe(false)
        expect(parseTag(`m@${v}`)).toBeUndefined()
      }),
      { numRuns: 300 }
    )
  })
})

describe('formatTag then parseTag', () => {
  it('returns the same name, action, version, stage and counter', () => {
    fc.assert(
      fc.property(tagSpec, spec => {
        expect(parseTag(formatTag(spec))).toStrictEqual(spec)
      }),
      { numRuns: 2000 }
    )
  })

  it.each(ACTIONS)('holds for %s in simple and counter form', action => {
    fc.assert(
      fc.property(fullName, version(), stage, counter, (n, v, s, c) => {
        const simple = specOf(action, n, v, s, undefined)
        const counted = specOf(action, n, v, s, c)
        const simpleTag = formatTag(simple)
        expect(parseTag(simpleTag)).toStrictEqual(simple)
        expect(formatTag(counted)).toBe(`${simpleTag}#${c}`)
        expect(parseTag(formatTag(counted))).toStrictEqual(counted)
      }),
      { numRuns: 300 }
    )
  })
})

describe('parseTag on arbitrary input', () => {
  /** Never throws; either no tag or a parse that names an artifact. */
  function check(text: string) {
    const parsed = parseTag(text)
    if (parsed === undefined) return
    expect(isValidFullName(parsed.name)).toBe(true)
  }

  it('never throws on strings of UTF-16 units', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), check), {
      numRuns: 2000
    })
  })

  it('never throws on strings of any code points', () => {
    // fast-check 4's replacement for fullUnicodeString.
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check),
      { numRuns: 2000 }
    )
  })

  it("never throws on strings of the grammar's own characters", () => {
    fc.assert(fc.property(grammarString(60), check), { numRuns: 5000 })
    fc.assert(fc.property(tagLike, check), { numRuns: 5000 })
  })

  it('never throws on long input, around the length bound too', () => {
    const long = fc
      .tuple(fc.string({ unit: chars(GRAMMAR), minLength: 900 }), tagLike)
      .map(([pad, tag]) => `${pad.slice(0, 1100)}${tag}`)
    fc.assert(fc.property(long, check), { numRuns: 200 })
  })
})

describe('parseTag then formatTag', () => {
  /** Whatever parses formats back to itself (`#01` as `#1`). */
  function roundTrips(text: string) {
    const parsed = parseTag(text)
    if (parsed === undefined) return
    if (parsed.action === undefined) {
      // `name@created` is no action: nothing to format.
      expect(text).toMatch(/@created(#[0-9]+)?$/)
      return
    }
    const expected = parsed.counter === undefined ? text : canonical(text)
    expect(formatTag({ ...parsed, action: parsed.action })).toBe(expected)
  }

  it('gives back tag-like strings that parse', () => {
    // Most of these parse: the property is not vacuous.
    const parsing = fc.sample(tagLike, 2000).filter(t => parseTag(t))
    expect(parsing.length).toBeGreaterThan(400)
    fc.assert(fc.property(tagLike, roundTrips), { numRuns: 5000 })
  })

  it("gives back strings of the grammar's characters that parse", () => {
    fc.assert(fc.property(grammarString(40), roundTrips), { numRuns: 5000 })
  })

  it('gives back counters of any size, or does not read them', () => {
    // GTO reads `#N` as a Python int, of any size. A counter past 2^53
    // must not come back rounded (or as `1e+21`, which is no tag).
    const huge = fc.bigInt({ min: 2n ** 53n, max: 10n ** 30n })
    fc.assert(
      fc.property(tagSpec, huge, (spec, n) => {
        roundTrips(`${formatTag({ ...spec, counter: undefined })}#${n}`)
      }),
      { numRuns: 300 }
    )
  })
})

describe('nextCounter', () => {
  // Names that look alike but are different artifacts.
  const NAMES = ['m', 'M', 'cv:m', 'cv/m', 'm/x', 'a/b:m', 'm-1', 'x.y:m']
  const entry = fc.record({
    name: fc.constantFrom(...NAMES),
    action: fc.constantFrom(...ACTIONS),
    version: version({ maxIds: 1 }),
    stage,
    counter: fc.option(counter, { nil: undefined })
  })
  // A space makes sure the noise is no tag of any artifact.
  const noise = fc.string({ maxLength: 12 }).map(s => `${s} `)

  it("is 1 + the highest counter of that artifact's tags only", () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 30 }),
        fc.array(noise, { maxLength: 5 }),
        fc.constantFrom(...NAMES),
        (entries, junk, target) => {
          const tags = [
            ...entries.map(e =>
              formatTag(specOf(e.action, e.name, e.version, e.stage, e.counter))
            ),
            ...junk
          ]
          const counters = entries
            .filter(e => e.name === target && e.counter !== undefined)
            .map(e => e.counter as number)
          expect(nextCounter(tags, target)).toBe(Math.max(0, ...counters) + 1)
          // Order does not matter.
          expect(nextCounter([...tags].reverse(), target)).toBe(
            nextCounter(tags, target)
          )
        }
      ),
      { numRuns: 1000 }
    )
  })

  it('is above every counter it reads, however large', () => {
    const huge = fc.bigInt({ min: 2n ** 53n - 10n, max: 10n ** 30n })
    fc.assert(
      fc.property(huge, n => {
        const tag = `m#prod#${n}`
        if (parseTag(tag) === undefined) return
        const next = formatTag({
          action: 'assign',
          name: 'm',
          stage: 'dev',
          counter: nextCounter([tag], 'm')
        })
        expect(next).toBe(`m#dev#${n + 1n}`)
      }),
      { numRuns: 200 }
    )
  })
})

describe('version precedence', () => {
  /** SemVer 2.0 §11 precedence, with numbers of any size. */
  function precedence(a: string, b: string): number {
    const split = (v: string) => {
      const [core, pre] = v.slice(1).split('+')[0].split(/-(.*)/s)
      return { core: core.split('.'), pre: pre ? pre.split('.') : [] }
    }
    const num = (s: string) => (/^[0-9]+$/.test(s) ? BigInt(s) : undefined)
    const cmp = <T extends number | bigint | string>(x: T, y: T) =>
      x < y ? -1 : x > y ? 1 : 0
    const x = split(a)
    const y = split(b)
    for (let i = 0; i < 3; i++) {
      const c = cmp(BigInt(x.core[i]), BigInt(y.core[i]))
      if (c) return c
    }
    if (!x.pre.length || !y.pre.length) {
      return cmp(y.pre.length, x.pre.length)
    }
    for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
      const [p, q] = [num(x.pre[i]), num(y.pre[i])]
      if (p !== undefined && q !== undefined) {
        if (cmp(p, q)) return cmp(p, q)
      } else if (p !== undefined) return -1
      else if (q !== undefined) return 1
      else if (cmp(x.pre[i], y.pre[i])) return cmp(x.pre[i], y.pre[i])
    }
    return cmp(x.pre.length, y.pre.length)
  }

  // Pairs that often share a core, so prerelease rules get exercised.
  const pair = (v: fc.Arbitrary<string>) =>
    fc.oneof(
      fc.tuple(v, v),
      fc
        .tuple(v, v)
        .map(([a, b]) => [
          a,
          `${a.split(/[-+]/)[0]}${b.slice(b.search(/[-+]|$/))}`
        ])
    )

  it('orders versions by SemVer precedence, build ignored', () => {
    fc.assert(
      fc.property(pair(version()), ([a, b]) => {
        expect(Math.sign(compareVersions(a, b))).toBe(precedence(a, b))
      }),
      { numRuns: 2000 }
    )
  })

  it('reads no version past npm semver limits, orders all it reads', () => {
    // Versions past 2^53 or longer than 256 characters are valid SemVer,
    // but npm `semver` cannot order them: they are no valid input, and a
    // tag holding one is read as no GTO tag (a documented difference).
    let ordered = 0
    fc.assert(
      fc.property(pair(version({ huge: true, maxIds: 40 })), ([a, b]) => {
        for (const v of [a, b]) {
          expect(parseTag(`m@${v}`) !== undefined).toBe(isValidVersion(v))
        }
        if (!isValidVersion(a) || !isValidVersion(b)) return
        ordered++
        expect(Math.sign(compareVersions(a, b))).toBe(precedence(a, b))
      }),
      { numRuns: 500 }
    )
    expect(ordered).toBeGreaterThan(50)
  })
})
